package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.metadata.MetadataDb;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildLeaseTest {
    @TempDir
    Path dir;

    @Test
    void ref_makesTheLeaseAtTheFirstWriteOnly() throws IOException {
        try (MetadataDb db = MetadataDb.open(dir.resolve("metadata.db"), LocalContentStore.open(dir.resolve("c")),
                Map.of())) {
            try (BuildLease unused = new BuildLease(db.leases("ns"), Clock.systemUTC())) {
                assertTrue(db.leases("ns").list().isEmpty(), "a build that writes nothing makes no lease");
            }
            String id;
            try (BuildLease lease = new BuildLease(db.leases("ns"), Clock.systemUTC())) {
                id = lease.ref().orElseThrow();
                assertEquals(id, lease.ref().orElseThrow(), "one lease per build");
                assertEquals(1, db.leases("ns").list().size());
                assertTrue(id.startsWith("build-"), id);
            }
            assertTrue(db.leases("ns").list().isEmpty(), "deleted when the build ends");
        }
    }
}
