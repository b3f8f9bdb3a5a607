package dev.berth.manager.service.version;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Empty;
import dev.berth.api.services.version.v1.VersionGrpc;
import dev.berth.api.services.version.v1.VersionResponse;
import dev.berth.manager.service.InProcessGrpc;
import org.junit.jupiter.api.Test;

class VersionServiceTest {

    @Test
    void version_answersTheVersionAndRevisionGiven_withOrWithoutNamespace() throws Exception {
        try (InProcessGrpc grpc = new InProcessGrpc(new VersionService("1.2.3", "abc123"))) {
            VersionResponse v = VersionGrpc.newBlockingStub(grpc.channel()).version(Empty.getDefaultInstance());
            assertEquals("1.2.3", v.getVersion());
            assertEquals("abc123", v.getRevision());
            assertEquals(v, grpc.inNamespace(VersionGrpc.newBlockingStub(grpc.channel()), "default")
                    .version(Empty.getDefaultInstance()));
        }
    }
}
