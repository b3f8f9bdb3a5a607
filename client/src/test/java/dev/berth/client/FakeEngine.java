package dev.berth.client;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ArchiveChunk;
import dev.berth.api.services.engine.v1.ArchivePath;
import dev.berth.api.services.engine.v1.AttachInput;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.CreateContainerResponse;
import dev.berth.api.services.engine.v1.CreateVolumeRequest;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.EventsRequest;
import dev.berth.api.services.engine.v1.ExecCreateRequest;
import dev.berth.api.services.engine.v1.ExecCreateResponse;
import dev.berth.api.services.engine.v1.ExecInput;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.LogsRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.StartContainerResponse;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.api.services.engine.v1.SystemGrpc;
import dev.berth.api.services.engine.v1.VolumesGrpc;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerResponse;
import dev.berth.api.services.transfer.v1.Image;
import dev.berth.api.services.transfer.v1.Progress;
import dev.berth.api.services.transfer.v1.PullRequest;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.api.types.Descriptor;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A fake engine for the client's unit tests: containers are records in a map; a container's process "echoes"
 * what it reads on stdin to stdout and exits with the number of bytes it read, or with the exit code its command
 * names ({@code exit N}). It records the order of calls and the namespace each carried.
 */
final class FakeEngine {
    static final Metadata.Key<String> NAMESPACE =
            Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> namespaces = new CopyOnWriteArrayList<>();
    final Map<String, ContainerConfig> configs = new ConcurrentHashMap<>();
    final Map<String, HostConfig> hosts = new ConcurrentHashMap<>();
    final Map<String, byte[]> archives = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> exits = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, StreamObserver<OutputChunk>> attached = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> stdin = new ConcurrentHashMap<>();

    ServerInterceptor namespaceRecorder() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                namespaces.add(String.valueOf(headers.get(NAMESPACE)));
                return next.startCall(call, headers);
            }
        };
    }

    private static io.grpc.StatusRuntimeException noSuchContainer(String id) {
        return Status.NOT_FOUND.withDescription("No such container: " + id).asRuntimeException();
    }

    private String id(String ref) {
        String id = ref.startsWith("/") ? ref.substring(1) : ref;
        if (!configs.containsKey(id)) {
            throw noSuchContainer(ref);
        }
        return id;
    }

    private void exit(String id, int status) {
        statuses.put(id, status);
        StreamObserver<OutputChunk> out = attached.remove(id);
        if (out != null) {
            out.onCompleted();
        }
        exits.get(id).countDown();
    }

    final ContainersGrpc.ContainersImplBase containers = new ContainersGrpc.ContainersImplBase() {
        @Override
        public void create(CreateContainerRequest request, StreamObserver<CreateContainerResponse> response) {
            calls.add("create");
            if (configs.containsKey(request.getName())) {
                response.onError(Status.ALREADY_EXISTS.withDescription("Conflict. The container name \"/"
                        + request.getName() + "\" is already in use").asRuntimeException());
                return;
            }
            configs.put(request.getName(), DockerJson.read(request.getConfig().toByteArray(), ContainerConfig.class,
                    "config"));
            hosts.put(request.getName(), DockerJson.read(request.getHostConfig().toByteArray(), HostConfig.class,
                    "host config"));
            exits.put(request.getName(), new CountDownLatch(1));
            response.onNext(CreateContainerResponse.newBuilder().setId(request.getName()).build());
            response.onCompleted();
        }

        @Override
        public void start(ContainerRef request, StreamObserver<StartContainerResponse> response) {
            calls.add("start");
            String id;
            try {
                id = id(request.getId());
            } catch (io.grpc.StatusRuntimeException e) {
                response.onError(e);
                return;
            }
            List<String> cmd = configs.get(id).cmd();
            response.onNext(StartContainerResponse.getDefaultInstance());
            response.onCompleted();
            if (cmd != null && cmd.size() == 2 && cmd.get(0).equals("exit")) {
                StreamObserver<OutputChunk> out = attached.get(id);
                if (out != null) {
                    out.onNext(OutputChunk.newBuilder().setStream(StreamKind.STDERR)
                            .setData(ByteString.copyFromUtf8("exiting\n")).build());
                }
                exit(id, Integer.parseInt(cmd.get(1)));
            }
        }

        @Override
        public void wait(WaitContainerRequest request, StreamObserver<WaitContainerResponse> response) {
            calls.add("wait " + request.getCondition());
            String id;
            try {
                id = id(request.getId());
            } catch (io.grpc.StatusRuntimeException e) {
                response.onError(e);
                return;
            }
            response.onNext(WaitContainerResponse.newBuilder().setWaiting(true).build());
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    exits.get(id).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                response.onNext(WaitContainerResponse.newBuilder().setStatusCode(statuses.get(id)).build());
                response.onCompleted();
            });
        }

        @Override
        public StreamObserver<AttachInput> attach(StreamObserver<OutputChunk> response) {
            return new StreamObserver<>() {
                String id;

                @Override
                public void onNext(AttachInput input) {
                    switch (input.getInputCase()) {
                        case START -> {
                            calls.add("attach");
                            id = input.getStart().getId();
                            String attaching = id;
                            // the attach takes effect a little later, as an engine's may: a client that starts
                            // the container before the `attached` answer loses its output (and waits forever)
                            Thread.ofPlatform().daemon().start(() -> {
                                try {
                                    Thread.sleep(200);
                                } catch (InterruptedException e) {
                                    return;
                                }
                                stdin.put(attaching, new ByteArrayOutputStream());
                                attached.put(attaching, response);
                                calls.add("attached");
                                try {
                                    response.onNext(OutputChunk.newBuilder().setAttached(true).build());
                                } catch (io.grpc.StatusRuntimeException e) {
                                    // the client gave up meanwhile (its wait failed): nothing to attach to
                                }
                            });
                        }
                        case STDIN -> {
                            stdin.get(id).writeBytes(input.getStdin().toByteArray());
                            response.onNext(OutputChunk.newBuilder().setStream(StreamKind.STDOUT)
                                    .setData(input.getStdin()).build());
                        }
                        case CLOSE_STDIN -> exit(id, stdin.get(id).size());
                        default -> { }
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

        @Override
        public void remove(RemoveContainerRequest request, StreamObserver<dev.berth.api.services.engine.v1.Empty>
                response) {
            calls.add("remove force=" + request.getForce());
            configs.remove(request.getId());
            response.onNext(dev.berth.api.services.engine.v1.Empty.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void inspect(ContainerRef request, StreamObserver<JsonDocument> response) {
            try {
                String id = id(request.getId());
                response.onNext(json(Map.of("Id", id, "Name", "/" + id, "Config", configs.get(id))));
                response.onCompleted();
            } catch (io.grpc.StatusRuntimeException e) {
                response.onError(e);
            }
        }

        @Override
        public void list(ListContainersRequest request, StreamObserver<JsonDocument> response) {
            calls.add("list all=" + request.getAll() + " filters=" + request.getFiltersMap().keySet());
            response.onNext(json(configs.keySet().stream().map(n -> Map.of("Id", n, "Names", List.of("/" + n)))
                    .toList()));
            response.onCompleted();
        }

        @Override
        public void logs(LogsRequest request, StreamObserver<OutputChunk> response) {
            for (String line : List.of("one\n", "two\n", "three\n")) {
                response.onNext(OutputChunk.newBuilder().setStream(StreamKind.STDOUT)
                        .setData(ByteString.copyFromUtf8(line))
                        .setTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_700_000_000)).build());
            }
            if (!request.getFollow()) {
                response.onCompleted();
            }
            // following: the stream stays open until the client cancels
        }

        @Override
        public void execCreate(ExecCreateRequest request, StreamObserver<ExecCreateResponse> response) {
            calls.add("execCreate " + request.getContainer());
            response.onNext(ExecCreateResponse.newBuilder().setId("exec-1").build());
            response.onCompleted();
        }

        @Override
        public StreamObserver<ExecInput> execStart(StreamObserver<OutputChunk> response) {
            return new StreamObserver<>() {
                @Override
                public void onNext(ExecInput input) {
                    if (input.hasStart()) {
                        response.onNext(OutputChunk.newBuilder().setStream(StreamKind.STDOUT)
                                .setData(ByteString.copyFromUtf8("in-exec\n")).build());
                        response.onNext(OutputChunk.newBuilder().setExited(true).setExitCode(7).build());
                        response.onCompleted();
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

        @Override
        public void archiveGet(ArchivePath request, StreamObserver<ArchiveChunk> response) {
            byte[] tar = archives.getOrDefault(request.getId() + ":" + request.getPath(), new byte[0]);
            response.onNext(ArchiveChunk.newBuilder().setStat(ByteString.copyFromUtf8(
                    "{\"name\":\"f\",\"size\":" + tar.length + "}")).build());
            for (int i = 0; i < tar.length; i += 3) {
                response.onNext(ArchiveChunk.newBuilder().setData(ByteString.copyFrom(tar, i,
                        Math.min(3, tar.length - i))).build());
            }
            response.onCompleted();
        }

        @Override
        public StreamObserver<ArchiveChunk> archivePut(StreamObserver<dev.berth.api.services.engine.v1.Empty>
                                                               response) {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            String[] target = new String[1];
            return new StreamObserver<>() {
                @Override
                public void onNext(ArchiveChunk chunk) {
                    if (chunk.hasTarget()) {
                        target[0] = chunk.getTarget().getId() + ":" + chunk.getTarget().getPath();
                    }
                    tar.writeBytes(chunk.getData().toByteArray());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    archives.put(target[0], tar.toByteArray());
                    response.onNext(dev.berth.api.services.engine.v1.Empty.getDefaultInstance());
                    response.onCompleted();
                }
            };
        }
    };

    final VolumesGrpc.VolumesImplBase volumes = new VolumesGrpc.VolumesImplBase() {
        @Override
        public void create(CreateVolumeRequest request, StreamObserver<JsonDocument> response) {
            response.onNext(json(Map.of("Name", request.getName(), "Driver", request.getDriver(),
                    "Labels", request.getLabelsMap())));
            response.onCompleted();
        }
    };

    final SystemGrpc.SystemImplBase system = new SystemGrpc.SystemImplBase() {
        @Override
        public void events(EventsRequest request, StreamObserver<JsonDocument> response) {
            for (String action : List.of("create", "start", "die")) {
                response.onNext(json(Map.of("Type", "container", "Action", action)));
            }
            // the stream stays open, as docker's events do, until the client cancels
        }

        @Override
        public void df(Empty request, StreamObserver<JsonDocument> response) {
            response.onError(Status.UNIMPLEMENTED.withDescription("df: not yet").asRuntimeException());
        }
    };

    final TransferGrpc.TransferImplBase transfer = new TransferGrpc.TransferImplBase() {
        @Override
        public void pull(PullRequest request, StreamObserver<Progress> response) {
            response.onNext(Progress.newBuilder().setId("sha256:aaaa").setStatus("downloading").setOffset(5)
                    .setTotal(10).build());
            response.onNext(Progress.newBuilder().setId("sha256:aaaa").setStatus("done").setOffset(10).setTotal(10)
                    .build());
            response.onNext(Progress.newBuilder().addImages(Image.newBuilder().setName(request.getReference())
                    .setTarget(Descriptor.newBuilder().setDigest("sha256:bbbb"))).build());
            response.onCompleted();
        }
    };

    static JsonDocument json(Object value) {
        return JsonDocument.newBuilder().setJson(ByteString.copyFrom(DockerJson.write(value))).build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
