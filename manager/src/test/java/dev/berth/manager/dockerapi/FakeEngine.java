package dev.berth.manager.dockerapi;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.AttachInput;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.CreateContainerResponse;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.LogsRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.api.services.engine.v1.StartContainerResponse;
import dev.berth.api.services.engine.v1.StopContainerRequest;
import dev.berth.api.services.engine.v1.StopContainerResponse;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerResponse;
import dev.berth.api.services.transfer.v1.Image;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.PullRequest;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.api.types.Descriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fake engine for the adapter's contract tests: containers {@code plain} (no terminal) and {@code term}
 * (a terminal); {@code plain} is running, {@code term} stopped. Attach echoes stdin as stdout and, after
 * {@code close_stdin}, writes "bye" to stderr and ends. Records what it received.
 */
final class FakeEngine {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final ConcurrentHashMap<String, CountDownLatch> waits = new ConcurrentHashMap<>();
    final CountDownLatch releaseWait = new CountDownLatch(1);

    final ContainersGrpc.ContainersImplBase containers = new ContainersGrpc.ContainersImplBase() {
        @Override
        public void create(CreateContainerRequest req, StreamObserver<CreateContainerResponse> out) {
            String config = req.getConfig().toStringUtf8();
            calls.add("create " + req.getName() + " " + config + " host=" + req.getHostConfig().toStringUtf8());
            if (config.contains("\"missing\"")) {
                out.onError(Status.NOT_FOUND.withDescription("No such image: missing:latest").asRuntimeException());
                return;
            }
            if (req.getName().equals("taken")) {
                out.onError(Status.ALREADY_EXISTS.withDescription("Conflict. The container name \"/taken\" is "
                        + "already in use").asRuntimeException());
                return;
            }
            if (req.getName().equals("bad name")) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("Invalid container name (bad name)")
                        .asRuntimeException());
                return;
            }
            out.onNext(CreateContainerResponse.newBuilder().setId("c0ffee").build());
            out.onCompleted();
        }

        @Override
        public void start(ContainerRef req, StreamObserver<StartContainerResponse> out) {
            if (!known(req.getId(), out)) {
                return;
            }
            out.onNext(StartContainerResponse.newBuilder().setAlreadyRunning(req.getId().equals("plain")).build());
            out.onCompleted();
        }

        @Override
        public void stop(StopContainerRequest req, StreamObserver<StopContainerResponse> out) {
            calls.add("stop " + req.getId() + " t=" + (req.hasTimeoutSeconds() ? req.getTimeoutSeconds() : "-"));
            out.onNext(StopContainerResponse.newBuilder().setAlreadyStopped(req.getId().equals("term")).build());
            out.onCompleted();
        }

        @Override
        public void inspect(ContainerRef req, StreamObserver<JsonDocument> out) {
            if (!known(req.getId(), out)) {
                return;
            }
            out.onNext(json("{\"Id\":\"" + req.getId() + "\",\"Config\":{\"Tty\":" + req.getId().equals("term")
                    + "}}"));
            out.onCompleted();
        }

        @Override
        public void list(ListContainersRequest req, StreamObserver<JsonDocument> out) {
            calls.add("list all=" + req.getAll() + " filters=" + req.getFiltersMap().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue().getValuesList()).toList());
            out.onNext(json("[]"));
            out.onCompleted();
        }

        @Override
        public void wait(WaitContainerRequest req, StreamObserver<WaitContainerResponse> out) {
            out.onNext(WaitContainerResponse.newBuilder().setWaiting(true).build());
            try {
                releaseWait.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.onNext(WaitContainerResponse.newBuilder().setStatusCode(7).build());
            out.onCompleted();
        }

        @Override
        public void logs(LogsRequest req, StreamObserver<OutputChunk> out) {
            if (!known(req.getId(), out)) {
                return;
            }
            out.onNext(chunk(StreamKind.STDOUT, "out\n"));
            out.onNext(chunk(StreamKind.STDERR, "err\n"));
            out.onCompleted();
        }

        @Override
        public StreamObserver<AttachInput> attach(StreamObserver<OutputChunk> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(AttachInput in) {
                    switch (in.getInputCase()) {
                        case START -> {
                            calls.add("attach " + in.getStart().getId());
                            out.onNext(chunk(StreamKind.STDOUT, "hello\n"));
                            out.onNext(OutputChunk.newBuilder().setAttached(true).build());
                        }
                        case STDIN -> out.onNext(chunk(StreamKind.STDOUT, in.getStdin().toStringUtf8()));
                        case CLOSE_STDIN -> {
                            out.onNext(chunk(StreamKind.STDERR, "bye\n"));
                            out.onNext(OutputChunk.newBuilder().setExited(true).build());
                            out.onCompleted();
                        }
                        default -> {
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
    };

    final TransferGrpc.TransferImplBase transfer = new TransferGrpc.TransferImplBase() {
        @Override
        public void pull(PullRequest req, StreamObserver<Progress> out) {
            calls.add("pull " + req.getReference());
            String layer = "sha256:" + "ab".repeat(32);
            String mt = "application/vnd.oci.image.layer.v1.tar+gzip";
            out.onNext(Progress.newBuilder().setId(req.getReference()).setStatus("resolving").build());
            out.onNext(Progress.newBuilder().setId(layer).setStatus("waiting").setMediaType(mt).build());
            out.onNext(Progress.newBuilder().setId(layer).setStatus("downloading").setOffset(5).setTotal(10)
                    .setMediaType(mt).build());
            out.onNext(Progress.newBuilder().setId(layer).setStatus("done").setMediaType(mt).build());
            out.onNext(Progress.newBuilder().setId(layer).setStatus("unpacked").setMediaType(mt).build());
            out.onNext(Progress.newBuilder().setStatus("done").addImages(Image.newBuilder()
                    .setName("docker.io/library/busybox:latest").setTarget(Descriptor.newBuilder()
                            .setDigest("sha256:" + "cd".repeat(32)))).build());
            out.onCompleted();
        }
    };

    private static OutputChunk chunk(StreamKind kind, String s) {
        return OutputChunk.newBuilder().setStream(kind).setData(ByteString.copyFrom(s, StandardCharsets.UTF_8))
                .build();
    }

    private static JsonDocument json(String s) {
        return JsonDocument.newBuilder().setJson(ByteString.copyFrom(s, StandardCharsets.UTF_8)).build();
    }

    private static boolean known(String id, StreamObserver<?> out) {
        if (id.equals("plain") || id.equals("term")) {
            return true;
        }
        out.onError(Status.NOT_FOUND.withDescription("No such container: " + id).asRuntimeException());
        return false;
    }
}
