package dev.berth.manager.service.transfer;

import com.google.protobuf.ByteString;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.services.transfer.v1.CommitRequest;
import dev.berth.api.services.transfer.v1.CommitResponse;
import dev.berth.api.services.transfer.v1.ExportChunk;
import dev.berth.api.services.transfer.v1.ExportRequest;
import dev.berth.api.services.transfer.v1.Image;
import dev.berth.api.services.transfer.v1.ImportOptions;
import dev.berth.api.services.transfer.v1.ImportRequest;
import dev.berth.api.services.transfer.v1.LoginRequest;
import dev.berth.api.services.transfer.v1.LoginResponse;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.PullRequest;
import dev.berth.api.services.transfer.v1.PushRequest;
import dev.berth.api.services.transfer.v1.RegistryAuth;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.ChunkQueue;
import dev.berth.manager.image.archive.ArchiveFormat;
import dev.berth.manager.image.archive.ImageExporter;
import dev.berth.manager.image.archive.ImageImporter;
import dev.berth.manager.image.commit.CommitOptions;
import dev.berth.manager.image.commit.ContainerCommit;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.pull.ImagePuller;
import dev.berth.manager.image.pull.PullOptions;
import dev.berth.manager.image.push.ImagePusher;
import dev.berth.manager.image.registry.Credentials;
import dev.berth.manager.image.registry.RegistryLogin;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Descriptors;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code berth.services.transfer.v1.Transfer}: a thin adapter over berthd's image transfer.
 */
public final class TransferService extends TransferGrpc.TransferImplBase {

    private static final int CHUNK = 1 << 20;
    /** Archive chunks from the client that may wait for the importer: a few, so the gRPC stream is held back. */
    private static final int IMPORT_QUEUE = 8;

    private final ImagePuller puller;
    private final ImagePusher pusher;
    private final ImageImporter importer;
    private final ImageExporter exporter;
    private final ContainerCommit committer;
    private final RegistryLogin login;
    private final String defaultSnapshotter;
    private final long maxUnpackedBytes;

    /**
     * @param defaultSnapshotter the snapshotter of pulls and imports that name none
     * @param maxUnpackedBytes   berthd's bound on the bytes one pull or import unpacks (0: none)
     */
    public TransferService(ImagePuller puller, ImagePusher pusher, ImageImporter importer, ImageExporter exporter,
                           ContainerCommit committer, RegistryLogin login, String defaultSnapshotter,
                           long maxUnpackedBytes) {
        this.puller = puller;
        this.pusher = pusher;
        this.importer = importer;
        this.exporter = exporter;
        this.committer = committer;
        this.login = login;
        this.defaultSnapshotter = defaultSnapshotter;
        this.maxUnpackedBytes = maxUnpackedBytes;
    }

    static Image toProto(ImageRecord r) {
        return Image.newBuilder().setName(r.name()).setTarget(Descriptors.toProto(r.target())).build();
    }

    static Platform platform(String s) {
        return s.isEmpty() ? Platform.LINUX_AMD64 : Platform.parse(s);
    }

    /** A call's credentials: set and with a user name, else berthd's own. */
    static Optional<Credentials> credentials(boolean set, RegistryAuth auth) {
        return set && !auth.getUsername().isEmpty()
                ? Optional.of(new Credentials(auth.getUsername(), auth.getPassword())) : Optional.empty();
    }

    @Override
    public void login(LoginRequest req, StreamObserver<LoginResponse> response) {
        Calls.unary(response, () -> {
            if (req.getAuth().getUsername().isEmpty()) {
                throw BerthException.invalidArgument("login " + req.getServerAddress() + ": no user name");
            }
            login.login(req.getServerAddress(), new Credentials(req.getAuth().getUsername(),
                    req.getAuth().getPassword()));
            return LoginResponse.newBuilder().setStatus("Login Succeeded").build();
        });
    }

    @Override
    public void pull(PullRequest req, StreamObserver<Progress> response) {
        try {
            String ns = RequestMetadata.namespace("pull " + req.getReference());
            ProgressStream progress = new ProgressStream(response);
            PullOptions options = PullOptions.defaults().withPlatform(platform(req.getPlatform()))
                    .withSnapshotter(req.getSnapshotter().isEmpty() ? defaultSnapshotter : req.getSnapshotter())
                    .withUnpack(!req.getSkipUnpack()).withMaxUnpackedBytes(maxUnpackedBytes)
                    .withCredentials(credentials(req.hasAuth(), req.getAuth()));
            ImageRecord image = puller.pull(ns, req.getReference(), options, progress);
            progress.last(Progress.newBuilder().setId(image.name()).setStatus("done")
                    .addImages(toProto(image)).build());
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        response.onCompleted();
    }

    @Override
    public void push(PushRequest req, StreamObserver<Progress> response) {
        try {
            String ns = RequestMetadata.namespace("push " + req.getImage());
            ProgressStream progress = new ProgressStream(response);
            String target = req.getReference().isEmpty() ? req.getImage() : req.getReference();
            Descriptor pushed = pusher.push(ns, req.getImage(), target, platform(req.getPlatform()),
                    credentials(req.hasAuth(), req.getAuth()), progress);
            progress.last(Progress.newBuilder().setId(target).setStatus("done").addImages(Image.newBuilder()
                    .setName(target).setTarget(Descriptors.toProto(pushed))).build());
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        response.onCompleted();
    }

    @Override
    public StreamObserver<ImportRequest> import_(StreamObserver<Progress> response) {
        String ns = RequestMetadata.namespace("import");
        ChunkQueue archive = new ChunkQueue("import", IMPORT_QUEUE);
        CompletableFuture<ImportOptions> options = new CompletableFuture<>();
        Thread.ofVirtual().name("import-" + ns).start(() -> {
            try {
                ImportOptions o = options.join();
                var opts = dev.berth.manager.image.archive.ImportOptions.defaults()
                        .withSnapshotter(o.getSnapshotter().isEmpty() ? defaultSnapshotter : o.getSnapshotter())
                        .withUnpack(!o.getSkipUnpack()).withMaxUnpackedBytes(maxUnpackedBytes);
                if (!o.getBaseName().isEmpty()) {
                    opts = opts.withBaseName(o.getBaseName());
                }
                List<ImageRecord> images = importer.importArchive(ns, archive, opts);
                archive.close(); // whatever the client still sends after the archive's end is dropped
                response.onNext(Progress.newBuilder().setId("import").setStatus("done")
                        .addAllImages(images.stream().map(TransferService::toProto).toList()).build());
                response.onCompleted();
            } catch (IOException | RuntimeException e) {
                archive.close(); // the client's further chunks are dropped instead of blocking its stream
                response.onError(GrpcErrors.toStatusException(e));
            }
        });
        return new StreamObserver<>() {
            @Override
            public void onNext(ImportRequest req) {
                try {
                    switch (req.getPartCase()) {
                        case OPTIONS -> options.complete(req.getOptions());
                        case DATA -> {
                            options.complete(ImportOptions.getDefaultInstance());
                            byte[] data = req.getData().toByteArray();
                            archive.write(data, 0, data.length);
                        }
                        default -> throw BerthException.invalidArgument("import: empty message");
                    }
                } catch (InterruptedIOException e) {
                    archive.fail(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                options.complete(ImportOptions.getDefaultInstance());
                archive.fail(new IOException("client went away: " + t.getMessage(), t));
            }

            @Override
            public void onCompleted() {
                options.complete(ImportOptions.getDefaultInstance());
                try {
                    archive.finish();
                } catch (InterruptedIOException e) {
                    archive.fail(e);
                }
            }
        };
    }

    @Override
    public void export(ExportRequest req, StreamObserver<ExportChunk> response) {
        try {
            String ns = RequestMetadata.namespace("export");
            if (req.getImagesCount() == 0) {
                throw BerthException.invalidArgument("export: no image named");
            }
            try (OutputStream out = new ChunkSender((ServerCallStreamObserver<ExportChunk>) response)) {
                exporter.export(ns, req.getImagesList(), ArchiveFormat.parse(req.getFormat()),
                        platform(req.getPlatform()), out);
            }
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        response.onCompleted();
    }

    @Override
    public void commit(CommitRequest req, StreamObserver<CommitResponse> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("commit " + req.getContainerId());
            CommitOptions options = CommitOptions.of(req.getReference()).withAuthor(req.getAuthor())
                    .withComment(req.getComment()).withChanges(req.getChangesList());
            ImageRecord image = committer.commit(ns, req.getContainerId(), options, req.getPause());
            return CommitResponse.newBuilder().setImage(toProto(image)).build();
        });
    }

    /** Sends what is written as 1 MiB chunks, waiting while the client is not ready (flow control). */
    private static final class ChunkSender extends OutputStream {
        private final ServerCallStreamObserver<ExportChunk> out;
        private final byte[] buf = new byte[CHUNK];
        private final Object ready = new Object();
        private int n;

        ChunkSender(ServerCallStreamObserver<ExportChunk> out) {
            this.out = out;
            out.setOnReadyHandler(() -> {
                synchronized (ready) {
                    ready.notifyAll();
                }
            });
        }

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) {
                flush();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == buf.length) {
                    flush();
                }
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        @Override
        public void flush() throws IOException {
            if (n == 0) {
                return;
            }
            synchronized (ready) {
                while (!out.isReady()) {
                    if (out.isCancelled()) {
                        throw new IOException("export: client went away");
                    }
                    try {
                        ready.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("export: interrupted");
                    }
                }
            }
            out.onNext(ExportChunk.newBuilder().setData(ByteString.copyFrom(buf, 0, n)).build());
            n = 0;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
