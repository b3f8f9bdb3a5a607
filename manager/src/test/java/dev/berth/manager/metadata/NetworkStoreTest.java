package dev.berth.manager.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkStoreTest extends MetadataFixture {

    @Test
    void create_duplicateName_isDockersAlreadyExists() throws Exception {
        db.networks().create("a".repeat(64), "front", "{}");
        BerthException e = assertThrows(BerthException.class,
                () -> db.networks().create("b".repeat(64), "front", "{}"));
        assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
        assertEquals("network with name front already exists", e.getMessage());
    }

    @Test
    void delete_withEndpoint_isRefusedUntilTheEndpointGoes() throws Exception {
        NetworkStore store = db.networks();
        store.create("a".repeat(64), "front", "{\"Name\":\"front\"}");
        store.addEndpoint("a".repeat(64), "ns", "c1", "{}");
        BerthException e = assertThrows(BerthException.class, () -> store.delete("a".repeat(64)));
        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
        assertEquals(1, store.endpointsOf("ns", "c1").size());
        assertTrue(store.removeEndpoint("a".repeat(64), "ns", "c1"));
        assertTrue(store.delete("a".repeat(64)));
        assertFalse(store.delete("a".repeat(64)));
        assertEquals(List.of(), store.list());
    }

    @Test
    void records_surviveReopen() throws Exception {
        db.networks().create("a".repeat(64), "front", "{\"x\":1}");
        db.networks().addEndpoint("a".repeat(64), "ns", "c1", "{\"y\":2}");
        db.close();
        db = open();
        assertEquals("{\"x\":1}", db.networks().getByName("front").orElseThrow().json());
        assertEquals("{\"y\":2}", db.networks().allEndpoints().get(0).json());
        BerthException e = assertThrows(BerthException.class,
                () -> db.networks().addEndpoint("a".repeat(64), "ns", "c1", "{}"));
        assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
    }
}
