package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.ErrorKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaseStoreTest extends MetadataFixture {

    @Test
    void create_listDelete() throws Exception {
        LeaseRecord l = db.leases("ns").create("pull-1", Map.of(GcLabels.EXPIRE, "2030-01-01T00:00:00Z"));
        assertEquals(new LeaseRecord("pull-1", clock.instant(), Map.of(GcLabels.EXPIRE, "2030-01-01T00:00:00Z")), l);
        db.leases("ns").create("pull-0", Map.of());
        assertEquals(List.of("pull-0", "pull-1"), db.leases("ns").list().stream().map(LeaseRecord::id).toList());
        assertTrue(db.leases("other").list().isEmpty());
        db.leases("ns").delete("pull-1");
        assertEquals(List.of("pull-0"), db.leases("ns").list().stream().map(LeaseRecord::id).toList());
        assertKind(ErrorKind.NOT_FOUND, () -> db.leases("ns").delete("pull-1"));
    }

    @Test
    void create_duplicateOrInvalid_rejected() throws Exception {
        db.leases("ns").create("l", Map.of());
        assertKind(ErrorKind.ALREADY_EXISTS, () -> db.leases("ns").create("l", Map.of()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.leases("ns").create("bad id", Map.of()));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.leases("ns").create("", Map.of()));
    }

    @Test
    void create_clientGeneratedIds_accepted() throws Exception {
        // containerd's WithRandomID: <nanoseconds>-<base64url of 3 bytes>, which may end in - or _ or hold --
        for (String id : List.of("123456789--a_b", "987654321-AbC-", "5-_x9_")) {
            assertEquals(id, db.leases("ns").create(id, Map.of()).id());
        }
    }

    @Test
    void resources_addListDelete() throws Exception {
        LeaseStore leases = db.leases("ns");
        leases.create("l", Map.of());
        LeaseResource blob = LeaseResource.content(digestOf("x"));
        LeaseResource snap = LeaseResource.snapshot("overlayfs", "key-1");
        LeaseResource ingest = LeaseResource.ingest("ref-1");
        leases.addResource("l", blob);
        leases.addResource("l", blob);
        leases.addResource("l", snap);
        leases.addResource("l", ingest);
        assertEquals(List.of(blob, ingest, snap), leases.listResources("l"));
        assertEquals("snapshots/overlayfs", snap.type());
        leases.deleteResource("l", snap);
        leases.deleteResource("l", snap);
        assertEquals(List.of(blob, ingest), leases.listResources("l"));
    }

    @Test
    void resources_ofMissingLease_notFound() {
        assertKind(ErrorKind.NOT_FOUND, () -> db.leases("ns").addResource("nope", LeaseResource.ingest("r")));
        assertKind(ErrorKind.NOT_FOUND, () -> db.leases("ns").listResources("nope"));
        assertKind(ErrorKind.NOT_FOUND, () -> db.leases("ns").deleteResource("nope", LeaseResource.ingest("r")));
    }

    @Test
    void resources_invalid_invalidArgument() throws Exception {
        db.leases("ns").create("l", Map.of());
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.leases("ns").addResource("l", new LeaseResource("x", "tasks")));
        assertKind(ErrorKind.INVALID_ARGUMENT,
                () -> db.leases("ns").addResource("l", new LeaseResource("not-a-digest", "content")));
        assertKind(ErrorKind.INVALID_ARGUMENT,
                () -> db.leases("ns").addResource("l", new LeaseResource("k", "snapshots/")));
        assertKind(ErrorKind.INVALID_ARGUMENT, () -> db.leases("ns").addResource("l", new LeaseResource("", "ingests")));
    }

    @Test
    void delete_takesResourcesWithIt() throws Exception {
        db.leases("ns").create("l", Map.of());
        db.leases("ns").addResource("l", LeaseResource.ingest("r"));
        db.leases("ns").delete("l");
        db.leases("ns").create("l", Map.of());
        assertEquals(List.of(), db.leases("ns").listResources("l"));
    }
}
