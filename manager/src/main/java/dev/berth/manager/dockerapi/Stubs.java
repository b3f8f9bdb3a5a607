package dev.berth.manager.dockerapi;

import dev.berth.api.services.build.v1.BuildsGrpc;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.ImagesGrpc;
import dev.berth.api.services.engine.v1.NetworksGrpc;
import dev.berth.api.services.engine.v1.SystemGrpc;
import dev.berth.api.services.engine.v1.VolumesGrpc;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/** The engine's and the transfer service's stubs over berthd's channel, every call in the API's namespace. */
final class Stubs {

    private static final Metadata.Key<String> NAMESPACE =
            Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);

    private final Channel channel;

    Stubs(Channel channel, String namespace) {
        Metadata headers = new Metadata();
        headers.put(NAMESPACE, namespace);
        this.channel = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    ContainersGrpc.ContainersBlockingStub containers() {
        return ContainersGrpc.newBlockingStub(channel);
    }

    ContainersGrpc.ContainersStub containersAsync() {
        return ContainersGrpc.newStub(channel);
    }

    ImagesGrpc.ImagesBlockingStub images() {
        return ImagesGrpc.newBlockingStub(channel);
    }

    VolumesGrpc.VolumesBlockingStub volumes() {
        return VolumesGrpc.newBlockingStub(channel);
    }

    NetworksGrpc.NetworksBlockingStub networks() {
        return NetworksGrpc.newBlockingStub(channel);
    }

    SystemGrpc.SystemBlockingStub system() {
        return SystemGrpc.newBlockingStub(channel);
    }

    TransferGrpc.TransferBlockingStub transfer() {
        return TransferGrpc.newBlockingStub(channel);
    }

    BuildsGrpc.BuildsStub buildsAsync() {
        return BuildsGrpc.newStub(channel);
    }

    TransferGrpc.TransferStub transferAsync() {
        return TransferGrpc.newStub(channel);
    }
}
