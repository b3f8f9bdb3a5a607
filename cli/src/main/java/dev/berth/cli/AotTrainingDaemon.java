package dev.berth.cli;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.AttachInput;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.CreateContainerResponse;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListContainersRequest;
import dev.berth.api.services.engine.v1.LogsRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.StartContainerResponse;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.api.services.engine.v1.WaitContainerRequest;
import dev.berth.api.services.engine.v1.WaitContainerResponse;
import dev.berth.api.services.introspection.v1.IntrospectionGrpc;
import dev.berth.api.services.introspection.v1.ServerResponse;
import dev.berth.api.services.version.v1.VersionGrpc;
import dev.berth.api.services.version.v1.VersionResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in for berthd that the CLI's AOT training talks to (no berthd runs at build time): on a unix socket,
 * through grpc-java's own server, it answers version and introspection and plays one container's life for
 * {@code run} (create, attach, wait, start: one line of output, exit 0), so that the cache holds the CLI's real
 * path through its transport, the stubs and the answers; every other call is UNIMPLEMENTED.
 */
final class AotTrainingDaemon implements AutoCloseable {
    private static final String ID = "a0".repeat(32);

    private final EventLoopGroup group;
    private final Server server;
    private final Map<String, StreamObserver<OutputChunk>> attached = new ConcurrentHashMap<>();
    private final Map<String, StreamObserver<WaitContainerResponse>> waits = new ConcurrentHashMap<>();

    private AotTrainingDaemon(Path socket) throws IOException {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .addService(new VersionGrpc.VersionImplBase() {
                    @Override
                    public void version(com.google.protobuf.Empty request, StreamObserver<VersionResponse> r) {
                        r.onNext(VersionResponse.newBuilder().setVersion("aot").setRevision("training").build());
                        r.onCompleted();
                    }
                })
                .addService(new IntrospectionGrpc.IntrospectionImplBase() {
                    @Override
                    public void server(com.google.protobuf.Empty request, StreamObserver<ServerResponse> r) {
                        r.onNext(ServerResponse.newBuilder().setUuid(ID).build());
                        r.onCompleted();
                    }
                })
                .addService(containers())
                .build().start();
    }

    static AotTrainingDaemon serve(Path socket) throws IOException {
        return new AotTrainingDaemon(socket);
    }

    private ContainersGrpc.ContainersImplBase containers() {
        return new ContainersGrpc.ContainersImplBase() {
            @Override
            public void create(CreateContainerRequest request, StreamObserver<CreateContainerResponse> r) {
                r.onNext(CreateContainerResponse.newBuilder().setId(ID).build());
                r.onCompleted();
            }

            @Override
            public StreamObserver<AttachInput> attach(StreamObserver<OutputChunk> r) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(AttachInput input) {
                        if (input.hasStart()) {
                            attached.put(input.getStart().getId(), r);
                            r.onNext(OutputChunk.newBuilder().setAttached(true).build());
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
            public void wait(WaitContainerRequest request, StreamObserver<WaitContainerResponse> r) {
                waits.put(request.getId(), r);
                r.onNext(WaitContainerResponse.newBuilder().setWaiting(true).build());
            }

            @Override
            public void start(ContainerRef request, StreamObserver<StartContainerResponse> r) {
                r.onNext(StartContainerResponse.getDefaultInstance());
                r.onCompleted();
                StreamObserver<OutputChunk> out = attached.remove(request.getId());
                if (out != null) {
                    out.onNext(OutputChunk.newBuilder().setStream(StreamKind.STDOUT)
                            .setData(ByteString.copyFromUtf8("hello\n")).build());
                    out.onNext(OutputChunk.newBuilder().setExited(true).setExitCode(0).build());
                    out.onCompleted();
                }
                StreamObserver<WaitContainerResponse> wait = waits.remove(request.getId());
                if (wait != null) {
                    wait.onNext(WaitContainerResponse.newBuilder().setStatusCode(0).build());
                    wait.onCompleted();
                }
            }

            @Override
            public void remove(RemoveContainerRequest request, StreamObserver<Empty> r) {
                r.onNext(Empty.getDefaultInstance());
                r.onCompleted();
            }

            @Override
            public void inspect(ContainerRef request, StreamObserver<JsonDocument> r) {
                r.onNext(JsonDocument.newBuilder().setJson(ByteString.copyFromUtf8("{\"Id\":\"" + ID
                        + "\",\"Name\":\"/aot\",\"State\":{\"Status\":\"running\",\"Running\":true}}")).build());
                r.onCompleted();
            }

            @Override
            public void list(ListContainersRequest request, StreamObserver<JsonDocument> r) {
                r.onNext(JsonDocument.newBuilder().setJson(ByteString.copyFromUtf8("[]")).build());
                r.onCompleted();
            }

            @Override
            public void logs(LogsRequest request, StreamObserver<OutputChunk> r) {
                r.onNext(OutputChunk.newBuilder().setStream(StreamKind.STDOUT)
                        .setData(ByteString.copyFromUtf8("hello\n")).build());
                r.onCompleted();
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
