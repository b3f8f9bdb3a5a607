package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.network.cni.CniCache;
import dev.berth.manager.network.cni.ConfList;
import dev.berth.model.NetworkCreate;
import dev.berth.model.PortBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** berthd's networking after a crash: a new instance over the same root releases what no container owns. */
class NetworkReconcilerTest extends NetworkFixture {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void reconcile_afterCrash_releasesUnknownContainersAndKeepsKnownOnes() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("crash")));
        Sandbox a = netns.call(() -> sandboxes.setUp("default", A, "a", new SandboxRequest("crash", Map.of(),
                Map.of("80/tcp", List.of(new PortBinding("", ""))))));
        Sandbox b = netns.call(() -> sandboxes.setUp("default", B, "b", new SandboxRequest("crash", Map.of(),
                Map.of())));
        assertTrue(netns.exec("iptables", "-w", "-t", "nat", "-S").contains(A), "portmap's rules of a exist");

        open();  // the crash: a new berthd over the same root, database and namespace
        NetworkReconciler.Report report = netns.call(() -> new NetworkReconciler(networks, db.networks(), sandboxes)
                .reconcile((ns, id) -> id.equals(B)));
        assertEquals(List.of(A), report.released());
        String left = leftovers();
        assertFalse(left.contains(A), left);
        assertFalse(netns.exec("iptables", "-w", "-t", "nat", "-S").contains(A));
        assertFalse(Files.exists(a.netns().orElseThrow()));
        String gateway = b.settings().networks().get("crash").gateway();
        assertTrue(inContainer(b.netns().orElseThrow(), "busybox", "ping", "-c", "1", "-W", "2", gateway)
                .contains("1 packets received"), "the known container keeps its network");

        netns.call(() -> {
            sandboxes.tearDown("default", B);
            return null;
        });
        assertEquals("", leftovers());
    }

    @Test
    void reconcile_addInterruptedAndCorruptEntries_areReleased() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("mid")));
        netns.call(() -> sandboxes.setUp("default", A, "a", new SandboxRequest("mid", Map.of(),
                Map.of("80/tcp", List.of(new PortBinding("", ""))))));
        // a crash inside ADD: the cache entry has no result yet (berthd writes it before it runs ADD)
        CniCache cache = sandboxes.cache();
        CniCache.Entry entry = cache.read("mid", A, "eth0").orElseThrow();
        cache.write(entry.config(), entry.runtimeConf(), Optional.empty());
        Path results = options().cacheDir().resolve("results");
        Files.writeString(results.resolve("mid-" + "f".repeat(64) + "-eth0"), "{not json");
        // an orphan netns mount with nothing else
        Path orphan = sandboxes.netns().create("e".repeat(64));

        open();
        NetworkReconciler.Report report = netns.call(() -> new NetworkReconciler(networks, db.networks(), sandboxes)
                .reconcile((ns, id) -> false));
        assertEquals(List.of("mid-" + "f".repeat(64) + "-eth0"), report.corrupt());
        assertTrue(report.released().containsAll(List.of(A, "e".repeat(64))), report.toString());
        assertFalse(Files.exists(orphan));
        assertEquals("", leftovers());
        assertEquals(List.of(), db.networks().allEndpoints());
    }

    @Test
    void reconcile_cacheEntryWithoutEndpoint_isDeletedWithItsCachedResult() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("lost")));
        netns.call(() -> sandboxes.setUp("default", A, "a", new SandboxRequest("lost", Map.of(), Map.of())));
        // the database lost the endpoint (restored from a backup): only the cache knows the attachment
        String network = networks.resolve("lost").id();
        db.networks().removeEndpoint(network, "default", A);
        ConfList list = sandboxes.cache().read("lost", A, "eth0").orElseThrow().config();
        assertEquals("lost", list.name());

        open();
        NetworkReconciler.Report report = netns.call(() -> new NetworkReconciler(networks, db.networks(), sandboxes)
                .reconcile((ns, id) -> true));
        assertTrue(report.released().contains(A), report.toString());
        assertEquals("", leftovers());
    }
}
