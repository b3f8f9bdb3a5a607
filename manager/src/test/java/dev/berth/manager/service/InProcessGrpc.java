package dev.berth.manager.service;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Serves services in-process, behind the same metadata interceptor as berthd's socket (STYLE principle 12). */
public final class InProcessGrpc implements AutoCloseable {

    private final Server server;
    private final ManagedChannel channel;

    public InProcessGrpc(BindableService... services) throws IOException {
        this(MoreExecutors.directExecutor(), services);
    }

    /**
     * Serves calls on {@code executor} rather than the caller's thread: what a handler that blocks for the call's
     * life (an event stream) needs, as berthd's virtual threads give it.
     */
    public InProcessGrpc(Executor executor, BindableService... services) throws IOException {
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder b = InProcessServerBuilder.forName(name).executor(executor);
        for (BindableService s : services) {
            b.addService(ServerInterceptors.intercept(s, new RequestMetadata()));
        }
        server = b.build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** {@code stub} sending {@code namespace} as containerd's clients do. */
    public <S extends AbstractStub<S>> S inNamespace(S stub, String namespace) {
        Metadata h = new Metadata();
        h.put(RequestMetadata.NAMESPACE, namespace);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    /** {@code stub} sending {@code namespace} and working under {@code lease}, as ctr does for pulls and runs. */
    public <S extends AbstractStub<S>> S inNamespace(S stub, String namespace, String lease) {
        Metadata h = new Metadata();
        h.put(RequestMetadata.NAMESPACE, namespace);
        h.put(RequestMetadata.LEASE, lease);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
