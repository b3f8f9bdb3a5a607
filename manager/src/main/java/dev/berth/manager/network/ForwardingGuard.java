package dev.berth.manager.network;

import dev.berth.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwarding safety, as docker keeps it: once {@code ip_forward} is on (the bridge plugin's {@code isGateway}
 * turns it on), the FORWARD policy is DROP and berthd's chain {@code BERTH-FORWARD}, jumped to first, accepts only
 * what its networks allow: replies and published (DNAT'd) traffic into a bridge, traffic within a bridge always,
 * traffic out of a bridge only for networks that masquerade. Traffic from one of berthd's bridges into another is
 * dropped first, by the isolation chains ({@link BridgeIsolation}) the chain jumps to before anything else. A
 * non-masquerading bridge's other traffic is dropped before the CNI firewall plugin's per-address accepts.
 */
final class ForwardingGuard {

    static final String CHAIN = "BERTH-FORWARD";
    private static final Log LOG = Log.of(ForwardingGuard.class);

    /** One bridge and whether traffic may leave it. */
    record Bridge(String device, boolean masquerade) {
    }

    private final HostCommands host;
    private final BridgeIsolation isolation;
    /** The bridges the chain was last written for (the chain is rewritten only when they change). */
    private List<Bridge> applied = List.of();

    ForwardingGuard(HostCommands host) {
        this.host = host;
        this.isolation = new BridgeIsolation(host);
    }

    /** True if the calling thread's network namespace forwards IPv4. */
    static boolean forwarding() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).strip().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    /** The chain's rules for these bridges, in order. */
    static List<List<String>> rules(List<Bridge> bridges) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("-j", BridgeIsolation.STAGE_1));
        for (Bridge b : bridges) {
            out.add(List.of("-o", b.device(), "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"));
            out.add(List.of("-o", b.device(), "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT"));
        }
        for (Bridge b : bridges) {
            out.add(List.of("-i", b.device(), "-o", b.device(), "-j", "ACCEPT"));
            if (b.masquerade()) {
                out.add(List.of("-i", b.device(), "-j", "ACCEPT"));
            } else {
                out.add(List.of("-i", b.device(), "-j", "DROP"));
            }
        }
        return out;
    }

    /** Applies the policy and the chain if forwarding is on; nothing otherwise. */
    synchronized void apply(List<Bridge> bridges) {
        if (!forwarding()) {
            return;
        }
        if (applied.equals(bridges)) {
            ensureFirst();
            return;
        }
        host.check(List.of("iptables", "-w", "-P", "FORWARD", "DROP"));
        isolation.ensure(bridges.stream().map(Bridge::device).toList());
        if (!host.run(List.of("iptables", "-w", "-S", CHAIN)).ok()) {
            host.check(List.of("iptables", "-w", "-N", CHAIN));
        }
        host.check(List.of("iptables", "-w", "-F", CHAIN));
        for (List<String> rule : rules(bridges)) {
            List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-A", CHAIN));
            argv.addAll(rule);
            host.check(argv);
        }
        ensureFirst();
        applied = List.copyOf(bridges);
        LOG.debug("forwarding guard applied", "bridges", bridges.size());
    }

    /** Keeps the jump to the chain the first rule of FORWARD (the firewall plugin inserts its own at the top). */
    void ensureFirst() {
        String rules = host.check(List.of("iptables", "-w", "-S", "FORWARD"));
        String first = rules.lines().filter(l -> l.startsWith("-A FORWARD")).findFirst().orElse("");
        if (first.equals("-A FORWARD -j " + CHAIN)) {
            return;
        }
        while (host.run(List.of("iptables", "-w", "-D", "FORWARD", "-j", CHAIN)).ok()) {
            // remove every older jump before inserting the one at the top
        }
        host.check(List.of("iptables", "-w", "-I", "FORWARD", "1", "-j", CHAIN));
    }
}
