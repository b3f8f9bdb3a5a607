package dev.berth.cli.client;

import dev.berth.api.services.containers.v1.ContainersGrpc;
import dev.berth.api.services.content.v1.ContentGrpc;
import dev.berth.api.services.images.v1.ImagesGrpc;
import dev.berth.api.services.introspection.v1.IntrospectionGrpc;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.client.Berth;

/**
 * The containerd v1 and transfer stubs the image commands still use ({@code images}, {@code tag}, {@code rmi},
 * {@code load}, {@code save}, {@code commit}, image {@code inspect}), bound to the client's namespace.
 */
public final class DaemonStubs {
    private final Berth berth;

    public DaemonStubs(Berth berth) {
        this.berth = berth;
    }

    public String namespace() {
        return berth.namespace();
    }

    public ContainersGrpc.ContainersBlockingStub containers() {
        return berth.stub(ContainersGrpc::newBlockingStub);
    }

    public ImagesGrpc.ImagesBlockingStub images() {
        return berth.stub(ImagesGrpc::newBlockingStub);
    }

    public ContentGrpc.ContentBlockingStub content() {
        return berth.stub(ContentGrpc::newBlockingStub);
    }

    public TransferGrpc.TransferBlockingStub transfer() {
        return berth.stub(TransferGrpc::newBlockingStub);
    }

    /** For the client-streaming Import. */
    public TransferGrpc.TransferStub transferAsync() {
        return berth.stub(TransferGrpc::newStub);
    }

    public IntrospectionGrpc.IntrospectionBlockingStub introspection() {
        return berth.stub(IntrospectionGrpc::newBlockingStub);
    }
}
