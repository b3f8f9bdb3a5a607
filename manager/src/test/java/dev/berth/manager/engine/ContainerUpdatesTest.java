package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import dev.berth.model.RestartPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker update's checks, merge rules and warnings, and the spec it rewrites. */
class ContainerUpdatesTest {
    private static final long MB = 1024 * 1024;

    private static ContainerUpdates updates(boolean swapLimit) {
        return new ContainerUpdates(null, null, null, null, new ContainerUpdates.HostLimits(2, swapLimit));
    }

    @Test
    void verify_dockersMessages() {
        List<String> w = new ArrayList<>();
        assertEquals("Minimum memory limit allowed is 6MB", assertThrows(BerthException.class,
                () -> updates(true).verify(new HostConfig.Builder().memory(MB).build(), w)).getMessage());
        assertEquals("Minimum memoryswap limit should be larger than memory limit, see usage",
                assertThrows(BerthException.class, () -> updates(true).verify(new HostConfig.Builder()
                        .memory(64 * MB).memorySwap(32 * MB).build(), w)).getMessage());
        assertEquals("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
                assertThrows(BerthException.class, () -> updates(true).verify(new HostConfig.Builder()
                        .nanoCpus(3_000_000_000L).build(), w)).getMessage());
        HostConfig noSwap = updates(false).verify(new HostConfig.Builder().memory(64 * MB).memorySwap(128 * MB)
                .build(), w);
        assertEquals(-1L, noSwap.memorySwap());
        assertEquals(List.of("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                + "Memory limited without swap."), w);
    }

    @Test
    void merge_keepsWhatIsNotAsked_andRefusesDockersConflicts() {
        HostConfig current = new HostConfig.Builder().memory(64 * MB).memorySwap(128 * MB).cpuShares(512L)
                .nanoCpus(1_000_000_000L).build();
        HostConfig merged = ContainerUpdates.merge("c1", current, new HostConfig.Builder().memorySwap(256 * MB)
                .memory(200 * MB).pidsLimit(10L).build());
        assertEquals(200 * MB, merged.memory());
        assertEquals(256 * MB, merged.memorySwap());
        assertEquals(512L, merged.cpuShares());
        assertEquals(10L, merged.pidsLimit());
        assertEquals("Cannot update container c1: Memory limit should be smaller than already set memoryswap limit,"
                + " update the memoryswap at the same time", assertThrows(BerthException.class,
                () -> ContainerUpdates.merge("c1", current, new HostConfig.Builder().memory(200 * MB).build()))
                .getMessage());
        assertEquals("Cannot update container c1: Conflicting options: CPU Quota cannot be updated as NanoCPUs has "
                + "already been set", assertThrows(BerthException.class, () -> ContainerUpdates.merge("c1",
                current, new HostConfig.Builder().cpuQuota(50_000L).build())).getMessage());
        HostConfig rm = new HostConfig.Builder().autoRemove(true).build();
        assertEquals("Cannot update container c1: Restart policy cannot be updated because AutoRemove is enabled "
                + "for the container", assertThrows(BerthException.class, () -> ContainerUpdates.merge("c1", rm,
                new HostConfig.Builder().restartPolicy(new RestartPolicy("always", 0)).build())).getMessage());
    }

    @Test
    void withResources_replacesTheLimits_keepsTheDevices() throws Exception {
        byte[] spec = ("{\"ociVersion\":\"1.0.2\",\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,"
                + "\"access\":\"rwm\"}],\"memory\":{\"limit\":1},\"pids\":{\"limit\":5}}}}")
                .getBytes(StandardCharsets.UTF_8);
        var resources = DockerJson.mapper().createObjectNode();
        resources.putObject("memory").put("limit", 64 * MB);
        JsonNode out = DockerJson.mapper().readTree(ContainerUpdates.withResources(spec, resources));
        assertEquals(64 * MB, out.path("linux").path("resources").path("memory").path("limit").asLong());
        assertEquals(1, out.path("linux").path("resources").path("devices").size());
        assertEquals(false, out.path("linux").path("resources").has("pids"), "an unlimited pids: no entry");
    }
}
