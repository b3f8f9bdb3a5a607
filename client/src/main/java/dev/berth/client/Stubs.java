package dev.berth.client;

import dev.berth.api.services.build.v1.BuildsGrpc;
import dev.berth.api.services.engine.v1.ContainersGrpc;
import dev.berth.api.services.engine.v1.ImagesGrpc;
import dev.berth.api.services.engine.v1.NetworksGrpc;
import dev.berth.api.services.engine.v1.SystemGrpc;
import dev.berth.api.services.engine.v1.VolumesGrpc;
import dev.berth.api.services.transfer.v1.TransferGrpc;
import dev.berth.api.services.version.v1.VersionGrpc;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;

/** The namespace-bound stubs the typed calls use. */
final class Stubs {
    private final Channel channel;
    private final ClientInterceptor metadata;

    Stubs(Channel channel, ClientInterceptor metadata) {
        this.channel = channel;
        this.metadata = metadata;
    }

    ContainersGrpc.ContainersBlockingStub containers() {
        return ContainersGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    ContainersGrpc.ContainersStub containersAsync() {
        return ContainersGrpc.newStub(channel).withInterceptors(metadata);
    }

    ImagesGrpc.ImagesBlockingStub images() {
        return ImagesGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    VolumesGrpc.VolumesBlockingStub volumes() {
        return VolumesGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    NetworksGrpc.NetworksBlockingStub networks() {
        return NetworksGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    SystemGrpc.SystemBlockingStub system() {
        return SystemGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    BuildsGrpc.BuildsStub buildsAsync() {
        return BuildsGrpc.newStub(channel).withInterceptors(metadata);
    }

    BuildsGrpc.BuildsBlockingStub builds() {
        return BuildsGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    TransferGrpc.TransferBlockingStub transfer() {
        return TransferGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }

    VersionGrpc.VersionBlockingStub version() {
        return VersionGrpc.newBlockingStub(channel).withInterceptors(metadata);
    }
}
