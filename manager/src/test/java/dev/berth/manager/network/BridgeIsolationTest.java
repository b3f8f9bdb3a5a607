package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.NetworkCreate;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker's isolation between bridge networks, with real bridges and containers' netns in the test's private
 * namespace: within a network traffic passes, from one network to another it is dropped by
 * {@code BERTH-ISOLATION-STAGE-2}; a network's rules come with it, go with it, and a reconcile drops strays.
 */
class BridgeIsolationTest extends NetworkFixture {

    private static final String NS = "default";

    private static String id(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void twoUserNetworks_withinPasses_betweenIsDroppedByTheIsolationChains() throws Exception {
        String devA = "br-" + netns.call(() -> networks.create(NetworkCreate.bridge("iso-a"))).id().substring(0, 12);
        String devB = "br-" + netns.call(() -> networks.create(NetworkCreate.bridge("iso-b"))).id().substring(0, 12);
        Sandbox a1 = netns.call(() -> sandboxes.setUp(NS, id('a'), "a1", new SandboxRequest("iso-a", Map.of(),
                Map.of())));
        Sandbox a2 = netns.call(() -> sandboxes.setUp(NS, id('c'), "a2", new SandboxRequest("iso-a", Map.of(),
                Map.of())));
        Sandbox b1 = netns.call(() -> sandboxes.setUp(NS, id('b'), "b1", new SandboxRequest("iso-b", Map.of(),
                Map.of())));
        String a2ip = a2.settings().networks().get("iso-a").ipAddress();
        String b1ip = b1.settings().networks().get("iso-b").ipAddress();

        String stage1 = netns.exec("iptables", "-w", "-S", BridgeIsolation.STAGE_1);
        assertTrue(stage1.contains("-A BERTH-ISOLATION-STAGE-1 -i " + devA + " ! -o " + devA
                + " -j BERTH-ISOLATION-STAGE-2"), stage1);
        assertTrue(stage1.contains("-i " + devB + " ! -o " + devB), stage1);
        assertTrue(stage1.contains("-i berth0 ! -o berth0"), "the default bridge is isolated too: " + stage1);
        assertTrue(stage1.trim().endsWith("-A BERTH-ISOLATION-STAGE-1 -j RETURN"), stage1);
        String guard = netns.exec("iptables", "-w", "-S", ForwardingGuard.CHAIN);
        assertEquals("-A BERTH-FORWARD -j BERTH-ISOLATION-STAGE-1", guard.lines()
                .filter(l -> l.startsWith("-A")).findFirst().orElseThrow(), guard);

        String within = inContainer(a1.netns().orElseThrow(), "busybox", "ping", "-c", "1", "-W", "2", a2ip);
        assertTrue(within.contains("1 packets received"), within);
        assertThrows(IOException.class, () -> inContainer(a1.netns().orElseThrow(), "busybox", "ping", "-c", "2",
                "-W", "1", b1ip), "a ping from iso-a to iso-b must fail");
        assertTrue(dropped(devB) >= 2, "the pings into " + devB + " were dropped by stage 2: "
                + netns.exec("iptables", "-w", "-L", BridgeIsolation.STAGE_2, "-v", "-x", "-n"));

        netns.call(() -> {
            sandboxes.tearDown(NS, id('a'));
            sandboxes.tearDown(NS, id('b'));
            sandboxes.tearDown(NS, id('c'));
            networks.remove("iso-b");
            return null;
        });
        stage1 = netns.exec("iptables", "-w", "-S", BridgeIsolation.STAGE_1);
        String stage2 = netns.exec("iptables", "-w", "-S", BridgeIsolation.STAGE_2);
        assertFalse(stage1.contains(devB) || stage2.contains(devB), "removed with its network: " + stage1 + stage2);
        assertTrue(stage1.contains("-i " + devA) && stage2.contains("-o " + devA + " -j DROP"), stage1 + stage2);
        assertEquals("", leftovers());
    }

    @Test
    void reconcile_dropsTheRulesOfBridgesNoNetworkHas_andAddsMissingOnes() throws Exception {
        netns.call(() -> sandboxes.setUp(NS, id('a'), "a", new SandboxRequest("bridge", Map.of(), Map.of())));
        netns.call(() -> {
            sandboxes.tearDown(NS, id('a'));
            return null;
        });
        netns.exec("iptables", "-w", "-I", BridgeIsolation.STAGE_1, "1", "-i", "br-gone", "!", "-o", "br-gone", "-j",
                BridgeIsolation.STAGE_2);
        netns.exec("iptables", "-w", "-I", BridgeIsolation.STAGE_2, "1", "-o", "br-gone", "-j", "DROP");
        netns.exec("iptables", "-w", "-D", BridgeIsolation.STAGE_2, "-o", "berth0", "-j", "DROP");
        String dev = "br-" + netns.call(() -> networks.create(NetworkCreate.bridge("late"))).id().substring(0, 12);
        assertTrue(netns.exec("iptables", "-w", "-S", BridgeIsolation.STAGE_2).contains("-o " + dev + " -j DROP"),
                "a network created once the chains exist gets its rules at once");

        netns.call(() -> new NetworkReconciler(networks, db.networks(), sandboxes).reconcile((ns, id) -> false));

        String rules = netns.exec("iptables", "-w", "-S", BridgeIsolation.STAGE_1)
                + netns.exec("iptables", "-w", "-S", BridgeIsolation.STAGE_2);
        assertFalse(rules.contains("br-gone"), rules);
        assertTrue(rules.contains("-A BERTH-ISOLATION-STAGE-2 -o berth0 -j DROP"), rules);
        assertTrue(rules.contains("-i " + dev + " ! -o " + dev), rules);
        assertEquals(2, rules.lines().filter(l -> l.contains("berth0")).count(), "no duplicates: " + rules);
    }

    /** Packets stage 2 dropped on their way into {@code device}. */
    private long dropped(String device) throws Exception {
        for (String line : netns.exec("iptables", "-w", "-L", BridgeIsolation.STAGE_2, "-v", "-x", "-n").lines()
                .toList()) {
            String[] w = line.trim().split("\\s+");
            if (w.length > 6 && w[2].equals("DROP") && line.contains(device)) {
                return Long.parseLong(w[0]);
            }
        }
        return 0;
    }
}
