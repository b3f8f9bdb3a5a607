package dev.berth.manager.service.version;

import com.google.protobuf.Empty;
import dev.berth.api.services.version.v1.VersionGrpc;
import dev.berth.api.services.version.v1.VersionResponse;
import io.grpc.stub.StreamObserver;

/** {@code containerd.services.version.v1.Version}: berthd's version and the build's revision. */
public final class VersionService extends VersionGrpc.VersionImplBase {

    private final VersionResponse version;

    public VersionService(String version, String revision) {
        this.version = VersionResponse.newBuilder().setVersion(version).setRevision(revision).build();
    }

    @Override
    public void version(Empty req, StreamObserver<VersionResponse> response) {
        response.onNext(version);
        response.onCompleted();
    }
}
