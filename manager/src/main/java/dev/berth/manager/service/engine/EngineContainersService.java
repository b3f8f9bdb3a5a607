package dev.berth.manager.service.engine;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.services.engine.v1.ArchiveChunk;
import dev.berth.api.services.engine.v1.ArchivePath;
import dev.berth.api.services.engine.v1.AttachInput;
import dev.berth.api.services.engine.v1.AttachRequest;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.CreateContainerResponse;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.ExecCreateRequest;
import dev.berth.api.services.engine.v1.ExecCreateResponse;
import dev.berth.api.services.engine.v1.ExecInput;
import dev.berth.api.services.engine.v1.ExecRef;
import dev.berth.api.services.engine.v1.ExecStartRequest;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.KillContainerRequest;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.LogsRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.RenameContainerRequest;
import dev.berth.api.services.engine.v1.ResizeRequest;
import dev.berth.api.services.engine.v1.StartContainerResponse;
import dev.berth.api.services.engine.v1.StopContainerRequest;
import dev.berth.api.services.engine.v1.StopContainerResponse;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.api.services.engine.v1.TopRequest;
import dev.berth.api.services.engine.v1.TopResponse;
import dev.berth.api.services.engine.v1.TopRow;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerResponse;

import dev.berth.api.services.engine.v1.StatsRequest;
import dev.berth.api.services.engine.v1.UpdateContainerRequest;
import dev.berth.api.services.engine.v1.UpdateContainerResponse;
import dev.berth.manager.engine.ContainerChanges;
import dev.berth.manager.engine.ContainerStats;
import dev.berth.manager.engine.ContainerUpdates;
import dev.berth.manager.engine.DiskUsage;
import dev.berth.manager.engine.Engine;
import dev.berth.manager.engine.Execs;
import dev.berth.manager.engine.LogQuery;
import dev.berth.manager.engine.OutputStreamKind;
import dev.berth.manager.engine.Top;
import dev.berth.manager.engine.volume.ContainerArchive;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.RequestMetadata;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DockerJson;
import dev.berth.model.ExecConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.NetworkingConfig;
import dev.berth.model.PathStat;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;

/**
 * {@code berth.services.engine.v1.Containers}: a thin adapter over {@link Engine} (parse the request, call,
 * answer; errors mapped in one place). Streams run on the call's thread; attach and exec feed the client from the
 * engine's output threads.
 */
public final class EngineContainersService extends ContainersGrpc.ContainersImplBase {

    private static final int CHUNK = 64 * 1024;

    private final Engine engine;
    private final ContainerArchive archives;
    private final ContainerStats stats;
    private final ContainerUpdates updates;
    private final ContainerChanges changes;
    private final DiskUsage sizes;

    public EngineContainersService(Engine engine, ContainerArchive archives, ContainerStats stats,
                                   ContainerUpdates updates, ContainerChanges changes, DiskUsage sizes) {
        this.engine = engine;
        this.archives = archives;
        this.stats = stats;
        this.updates = updates;
        this.changes = changes;
        this.sizes = sizes;
    }

    @Override
    public void stats(StatsRequest req, StreamObserver<JsonDocument> response) {
        ServerCallStreamObserver<JsonDocument> call = (ServerCallStreamObserver<JsonDocument>) response;
        ContainerStats.Mode mode = req.getStream() ? ContainerStats.Mode.STREAM
                : req.getOneShot() ? ContainerStats.Mode.ONE_SHOT : ContainerStats.Mode.TWO_SAMPLES;
        try {
            stats.stats(RequestMetadata.namespace("stats of container"), req.getId(), mode,
                    doc -> call.onNext(Json.document(doc)), call::isCancelled);
        } catch (IOException | RuntimeException e) {
            if (!call.isCancelled()) {
                response.onError(GrpcErrors.toStatusException(e));
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(GrpcErrors.toStatusException(BerthException.unavailable("stats of container "
                    + req.getId() + ": interrupted")));
            return;
        }
        if (!call.isCancelled()) {
            response.onCompleted();
        }
    }

    @Override
    public void update(UpdateContainerRequest req, StreamObserver<UpdateContainerResponse> response) {
        Calls.unary(response, () -> UpdateContainerResponse.newBuilder().addAllWarnings(updates.update(
                RequestMetadata.namespace("update container"), req.getId(),
                Json.read(req.getUpdate().toByteArray(), HostConfig.class, "update config"))).build());
    }

    @Override
    public void changes(ContainerRef req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(changes.changes(RequestMetadata.namespace("changes of container"),
                req.getId())));
    }

    @Override
    public void archiveStat(ArchivePath req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(engine.onRootfs(RequestMetadata.namespace("stat in container"),
                req.getId(), (rootfs, mounts, ro) -> archives.stat(rootfs, mounts, req.getPath()))));
    }

    @Override
    public void archiveGet(ArchivePath req, StreamObserver<ArchiveChunk> response) {
        try {
            engine.onRootfs(RequestMetadata.namespace("archive of container"), req.getId(), (rootfs, mounts, ro) -> {
                PathStat stat = archives.stat(rootfs, mounts, req.getPath());
                response.onNext(ArchiveChunk.newBuilder().setTarget(req)
                        .setStat(ByteString.copyFrom(DockerJson.write(stat))).build());
                try (java.io.OutputStream out = new java.io.BufferedOutputStream(new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        response.onNext(ArchiveChunk.newBuilder().setData(ByteString.copyFrom(b, off, len)).build());
                    }
                }, CHUNK)) {
                    archives.get(rootfs, mounts, req.getPath(), out);
                }
                return stat;
            });
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        response.onCompleted();
    }

    @Override
    public StreamObserver<ArchiveChunk> archivePut(StreamObserver<Empty> response) {
        String ns;
        java.nio.file.Path tmp;
        java.io.OutputStream buffer;
        try {
            ns = RequestMetadata.namespace("extract to container");
            tmp = java.nio.file.Files.createTempFile("berthd-archive-", ".tar");
            buffer = java.nio.file.Files.newOutputStream(tmp);
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return new Discard<>();
        }
        return new StreamObserver<>() {
            private ArchiveChunk first;

            @Override
            public void onNext(ArchiveChunk c) {
                if (first == null) {
                    first = c;
                }
                try {
                    c.getData().writeTo(buffer);
                } catch (IOException e) {
                    onError(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                discard();
            }

            @Override
            public void onCompleted() {
                try {
                    buffer.close();
                    if (first == null) {
                        throw BerthException.invalidArgument("extract to container: no target given");
                    }
                    ArchivePath target = first.getTarget();
                    engine.onRootfs(ns, target.getId(), (rootfs, mounts, ro) -> {
                        try (java.io.InputStream in = java.nio.file.Files.newInputStream(tmp)) {
                            archives.put(rootfs, mounts, target.getPath(), in, new ContainerArchive.ExtractOptions(
                                    first.getNoOverwriteDirNonDir(), java.util.Optional.empty(), ro));
                        }
                        return null;
                    });
                } catch (IOException | RuntimeException e) {
                    discard();
                    response.onError(GrpcErrors.toStatusException(e));
                    return;
                }
                discard();
                response.onNext(Empty.getDefaultInstance());
                response.onCompleted();
            }

            private void discard() {
                try {
                    buffer.close();
                    java.nio.file.Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    tmp.toFile().deleteOnExit();
                }
            }
        };
    }

    @Override
    public void create(CreateContainerRequest req, StreamObserver<CreateContainerResponse> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("create container");
            ContainerConfig config = Json.read(req.getConfig().toByteArray(), ContainerConfig.class, "config");
            HostConfig host = Json.read(req.getHostConfig().toByteArray(), HostConfig.class, "host config");
            NetworkingConfig networking = req.getNetworkingConfig().isEmpty() ? NetworkingConfig.EMPTY
                    : Json.read(req.getNetworkingConfig().toByteArray(), NetworkingConfig.class, "networking config");
            Engine.Created c = engine.create(ns, req.getName(), config, host, networking);
            return CreateContainerResponse.newBuilder().setId(c.id()).addAllWarnings(c.warnings()).build();
        });
    }

    @Override
    public void start(ContainerRef req, StreamObserver<StartContainerResponse> response) {
        Calls.unary(response, () -> StartContainerResponse.newBuilder()
                .setAlreadyRunning(engine.start(RequestMetadata.namespace("start container"), req.getId())).build());
    }

    @Override
    public void stop(StopContainerRequest req, StreamObserver<StopContainerResponse> response) {
        Calls.unary(response, () -> StopContainerResponse.newBuilder().setAlreadyStopped(engine.stop(
                RequestMetadata.namespace("stop container"), req.getId(), timeout(req), req.getSignal())).build());
    }

    @Override
    public void restart(StopContainerRequest req, StreamObserver<StartContainerResponse> response) {
        Calls.unary(response, () -> {
            engine.restart(RequestMetadata.namespace("restart container"), req.getId(), timeout(req),
                    req.getSignal());
            return StartContainerResponse.getDefaultInstance();
        });
    }

    private static OptionalInt timeout(StopContainerRequest req) {
        return req.hasTimeoutSeconds() ? OptionalInt.of(req.getTimeoutSeconds()) : OptionalInt.empty();
    }

    @Override
    public void kill(KillContainerRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            engine.kill(RequestMetadata.namespace("kill container"), req.getId(), req.getSignal());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void remove(RemoveContainerRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            engine.remove(RequestMetadata.namespace("remove container"), req.getId(), req.getForce(),
                    req.getVolumes());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void wait(WaitContainerRequest req, StreamObserver<WaitContainerResponse> response) {
        int code;
        try {
            var exit = engine.waitFor(RequestMetadata.namespace("wait container"), req.getId(), req.getCondition());
            response.onNext(WaitContainerResponse.newBuilder().setWaiting(true).build());
            code = exit.get();
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(GrpcErrors.toStatusException(BerthException.unavailable("wait container "
                    + req.getId() + ": interrupted")));
            return;
        } catch (ExecutionException e) {
            response.onError(GrpcErrors.toStatusException(e.getCause()));
            return;
        }
        response.onNext(WaitContainerResponse.newBuilder().setStatusCode(code).build());
        response.onCompleted();
    }

    @Override
    public void inspect(ContainerRef req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(engine.inspect(RequestMetadata.namespace("inspect container"),
                req.getId())));
    }

    @Override
    public void port(ContainerRef req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(engine.port(RequestMetadata.namespace("port of container"),
                req.getId())));
    }

    @Override
    public void list(ListContainersRequest req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> {
            String ns = RequestMetadata.namespace("list containers");
            var list = engine.list(ns, req.getAll(), Json.filters(req.getFiltersMap()), req.getLimit());
            return Json.document(req.getSize() ? sizes.withSizes(ns, list) : list);
        });
    }

    @Override
    public void rename(RenameContainerRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            engine.rename(RequestMetadata.namespace("rename container"), req.getId(), req.getName());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void pause(ContainerRef req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            engine.pause(RequestMetadata.namespace("pause container"), req.getId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void unpause(ContainerRef req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            engine.unpause(RequestMetadata.namespace("unpause container"), req.getId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void logs(LogsRequest req, StreamObserver<OutputChunk> response) {
        ServerCallStreamObserver<OutputChunk> call = (ServerCallStreamObserver<OutputChunk>) response;
        boolean both = !req.getStdout() && !req.getStderr();
        LogQuery q = new LogQuery(both || req.getStdout(), both || req.getStderr(),
                req.hasTail() ? req.getTail() : -1, req.hasSince() ? instant(req.getSince()) : null,
                req.hasUntil() ? instant(req.getUntil()) : null, req.getFollow());
        try {
            engine.logs(RequestMetadata.namespace("logs of container"), req.getId(), q,
                    (stream, data, time) -> call.onNext(chunk(stream, data).setTime(timestamp(time)).build()),
                    call::isCancelled);
        } catch (IOException | RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(GrpcErrors.toStatusException(BerthException.unavailable("logs of container "
                    + req.getId() + ": interrupted")));
            return;
        }
        response.onCompleted();
    }

    @Override
    public StreamObserver<AttachInput> attach(StreamObserver<OutputChunk> response) {
        String ns;
        try {
            ns = RequestMetadata.namespace("attach container");
        } catch (BerthException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return new Discard<>();
        }
        return new AttachStream(engine, ns, response);
    }

    @Override
    public void resize(ResizeRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            engine.resize(RequestMetadata.namespace("resize container"), req.getId(), req.getWidth(),
                    req.getHeight());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void execCreate(ExecCreateRequest req, StreamObserver<ExecCreateResponse> response) {
        Calls.unary(response, () -> ExecCreateResponse.newBuilder().setId(engine.execCreate(
                RequestMetadata.namespace("create exec"), req.getContainer(),
                Json.read(req.getConfig().toByteArray(), ExecConfig.class, "exec config"))).build());
    }

    @Override
    public StreamObserver<ExecInput> execStart(StreamObserver<OutputChunk> response) {
        String ns;
        try {
            ns = RequestMetadata.namespace("start exec");
        } catch (BerthException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return new Discard<>();
        }
        return new ExecStream(engine.execs(), ns, response);
    }

    @Override
    public void execInspect(ExecRef req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> {
            RequestMetadata.namespace("inspect exec");
            return Json.document(engine.execs().inspect(req.getId()));
        });
    }

    @Override
    public void execResize(ResizeRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            RequestMetadata.namespace("resize exec");
            engine.execs().resize(req.getId(), req.getWidth(), req.getHeight());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void prune(PruneRequest req, StreamObserver<PruneResponse> response) {
        Calls.unary(response, () -> {
            DiskUsage.PrunedContainers p = sizes.pruneContainers(RequestMetadata.namespace("prune containers"),
                    Json.filters(req.getFiltersMap()));
            return PruneResponse.newBuilder().addAllDeleted(p.deleted()).setSpaceReclaimed(p.spaceReclaimed())
                    .build();
        });
    }

    @Override
    public void top(TopRequest req, StreamObserver<TopResponse> response) {
        Calls.unary(response, () -> {
            Top top = engine.top(RequestMetadata.namespace("top of container"), req.getId(), req.getPsArgs());
            TopResponse.Builder b = TopResponse.newBuilder().addAllTitles(top.titles());
            top.processes().forEach(row -> b.addProcesses(TopRow.newBuilder().addAllColumns(row)));
            return b.build();
        });
    }

    static OutputChunk.Builder chunk(OutputStreamKind stream, byte[] data) {
        return OutputChunk.newBuilder().setStream(stream == OutputStreamKind.STDOUT ? StreamKind.STDOUT
                : StreamKind.STDERR).setData(ByteString.copyFrom(data));
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    /** The client side of an attach: the first message names the container, the next ones carry stdin. */
    private static final class AttachStream implements StreamObserver<AttachInput> {
        private final Engine engine;
        private final String namespace;
        private final StreamObserver<OutputChunk> response;
        private Engine.Attachment attachment;
        private boolean ended;

        AttachStream(Engine engine, String namespace, StreamObserver<OutputChunk> response) {
            this.engine = engine;
            this.namespace = namespace;
            this.response = response;
        }

        @Override
        public synchronized void onNext(AttachInput in) {
            if (ended) {
                return;
            }
            try {
                switch (in.getInputCase()) {
                    case START -> start(in.getStart());
                    case STDIN -> {
                        if (attachment != null) {
                            attachment.stdin(in.getStdin().toByteArray());
                        }
                    }
                    case CLOSE_STDIN -> {
                        if (attachment != null) {
                            attachment.closeStdin();
                        }
                    }
                    case INPUT_NOT_SET -> { }
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void start(AttachRequest req) throws IOException {
            if (attachment != null) {
                throw BerthException.invalidArgument("attach " + req.getId() + ": already started");
            }
            boolean both = !req.getStdout() && !req.getStderr();
            boolean out = both || req.getStdout();
            boolean err = both || req.getStderr();
            if (req.getLogs()) {
                try {
                    engine.logs(namespace, req.getId(), new LogQuery(out, err, -1, null, null, false),
                            (stream, data, time) -> send(chunk(stream, data).build()), () -> false);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw BerthException.unavailable("attach " + req.getId() + ": interrupted");
                } catch (BerthException e) {
                    if (e.kind() != dev.berth.api.errdefs.ErrorKind.FAILED_PRECONDITION) {
                        throw e; // a container without a readable log replays nothing
                    }
                }
            }
            attachment = engine.attach(namespace, req.getId(), new dev.berth.manager.engine.OutputListener() {
                @Override
                public void output(OutputStreamKind stream, byte[] data) {
                    if (stream == OutputStreamKind.STDOUT ? out : err) {
                        send(chunk(stream, data).build());
                    }
                }

                @Override
                public void ended(int exitCode) {
                    finish(OutputChunk.newBuilder().setExited(true).setExitCode(exitCode).build());
                }
            });
            // the client may start the container now: nothing it writes from here on is missed
            send(OutputChunk.newBuilder().setAttached(true).build());
        }

        private void send(OutputChunk c) {
            synchronized (response) {
                if (!ended) {
                    response.onNext(c);
                }
            }
        }

        private void finish(OutputChunk last) {
            synchronized (response) {
                if (ended) {
                    return;
                }
                ended = true;
                response.onNext(last);
                response.onCompleted();
            }
        }

        private void fail(Exception e) {
            synchronized (response) {
                if (ended) {
                    return;
                }
                ended = true;
                if (attachment != null) {
                    attachment.close();
                }
                response.onError(GrpcErrors.toStatusException(e));
            }
        }

        @Override
        public void onError(Throwable t) {
            detach();
        }

        @Override
        public void onCompleted() {
            detach();
        }

        private void detach() {
            synchronized (response) {
                if (attachment != null) {
                    attachment.close();
                }
                if (!ended) {
                    ended = true;
                    response.onCompleted();
                }
            }
        }
    }

    /** The client side of an exec start: the first message names the exec, the next ones carry stdin. */
    private static final class ExecStream implements StreamObserver<ExecInput> {
        private final Execs execs;
        private final String namespace;
        private final StreamObserver<OutputChunk> response;
        private Execs.Session session;
        private boolean ended;

        ExecStream(Execs execs, String namespace, StreamObserver<OutputChunk> response) {
            this.execs = execs;
            this.namespace = namespace;
            this.response = response;
        }

        @Override
        public void onNext(ExecInput in) {
            try {
                switch (in.getInputCase()) {
                    case START -> start(in.getStart());
                    case STDIN -> {
                        if (session != null) {
                            session.stdin(in.getStdin().toByteArray());
                        }
                    }
                    case CLOSE_STDIN -> {
                        if (session != null) {
                            session.closeStdin();
                        }
                    }
                    case INPUT_NOT_SET -> { }
                }
            } catch (IOException | RuntimeException e) {
                end(null, e);
            }
        }

        private void start(ExecStartRequest req) throws IOException {
            if (!execs.namespaceOf(req.getId()).equals(namespace)) {
                throw BerthException.notFound("No such exec instance: " + req.getId());
            }
            if (req.getDetach()) {
                execs.start(req.getId(), (s, d) -> { });
                end(null, null);
                return;
            }
            session = execs.start(req.getId(), (stream, data) -> {
                synchronized (response) {
                    if (!ended) {
                        response.onNext(chunk(stream, data).build());
                    }
                }
            });
            Execs.Session s = session;
            Thread.ofVirtual().name("exec-stream").start(() -> {
                try {
                    int code = s.await();
                    end(OutputChunk.newBuilder().setExited(true).setExitCode(code).build(), null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        private void end(OutputChunk last, Exception error) {
            synchronized (response) {
                if (ended) {
                    return;
                }
                ended = true;
                if (error != null) {
                    response.onError(GrpcErrors.toStatusException(error));
                    return;
                }
                if (last != null) {
                    response.onNext(last);
                }
                response.onCompleted();
            }
        }

        @Override
        public void onError(Throwable t) {
            // the client went away: the exec runs on, as docker's does
        }

        @Override
        public void onCompleted() {
            if (session != null) {
                session.closeStdin();
            }
        }
    }

    /** Ignores a stream that was already refused. */
    private static final class Discard<T> implements StreamObserver<T> {
        @Override
        public void onNext(T value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
