package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.NetworkCreate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forwarding safety once the bridge plugin turned ip_forward on, in the test's own namespace. */
class ForwardingGuardTest extends NetworkFixture {

    @Test
    void setUp_ipForwardOn_forwardPolicyDropAndOnlyWithinBridgeAccepted() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("guarded")));
        String device = "br-" + netns.call(() -> networks.inspect("guarded")).id().substring(0, 12);
        netns.call(() -> sandboxes.setUp("default", "a".repeat(64), "a", new SandboxRequest("guarded", Map.of(),
                Map.of())));
        assertEquals("1", netns.exec("cat", "/proc/sys/net/ipv4/ip_forward").strip());
        String forward = netns.exec("iptables", "-w", "-S", "FORWARD");
        assertTrue(forward.contains("-P FORWARD DROP"), forward);
        assertEquals("-A FORWARD -j BERTH-FORWARD", forward.lines().filter(l -> l.startsWith("-A")).findFirst()
                .orElseThrow(), "berthd's chain is jumped to before the firewall plugin's");
        String chain = netns.exec("iptables", "-w", "-S", ForwardingGuard.CHAIN);
        assertTrue(chain.contains("-A BERTH-FORWARD -i " + device + " -o " + device + " -j ACCEPT"), chain);
        assertTrue(chain.contains("-A BERTH-FORWARD -i " + device + " -j DROP"), chain);
        assertTrue(chain.contains("-A BERTH-FORWARD -i berth0 -j DROP"), "masquerade is off: nothing leaves");
        assertFalse(chain.contains("-i " + device + " -j ACCEPT"), chain);
        netns.call(() -> {
            sandboxes.tearDown("default", "a".repeat(64));
            return null;
        });
    }

    @Test
    void rules_isolationFirst_thenAMasqueradingBridgeMayLeave() {
        List<List<String>> rules = ForwardingGuard.rules(List.of(new ForwardingGuard.Bridge("br-a", true),
                new ForwardingGuard.Bridge("br-b", false)));
        List<String> text = rules.stream().map(r -> String.join(" ", r)).toList();
        assertEquals("-j " + BridgeIsolation.STAGE_1, text.getFirst(), "traffic between bridges is dropped first");
        assertTrue(text.contains("-i br-a -j ACCEPT"), text.toString());
        assertTrue(text.contains("-i br-b -j DROP"), text.toString());
        assertTrue(text.indexOf("-o br-b -m conntrack --ctstate DNAT -j ACCEPT") < text.indexOf("-i br-a -j ACCEPT"),
                "published ports are reachable");
    }
}
