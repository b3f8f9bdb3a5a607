package dev.berth.manager.network;

import dev.berth.log.Log;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * docker's two-stage isolation between bridge networks ({@code DOCKER-ISOLATION-STAGE-1/2}) under Berth's names:
 * <pre>
 * -A BERTH-FORWARD -j BERTH-ISOLATION-STAGE-1                      (the guard's first rule)
 * -A BERTH-ISOLATION-STAGE-1 -i &lt;bridge&gt; ! -o &lt;bridge&gt; -j BERTH-ISOLATION-STAGE-2   one per bridge network
 * -A BERTH-ISOLATION-STAGE-1 -j RETURN
 * -A BERTH-ISOLATION-STAGE-2 -o &lt;bridge&gt; -j DROP                                    one per bridge network
 * -A BERTH-ISOLATION-STAGE-2 -j RETURN
 * </pre>
 * Traffic leaving one of berthd's bridges for another is dropped; within a bridge, and out of it (as the guard
 * allows), it passes on. The chains are made by the guard once forwarding is on; after that a network's rules come
 * with the network and go with it, and {@link #sync} (at each apply and at start) deletes the rules of bridges no
 * network has and adds the missing ones, one rule at a time, so the isolation never lapses.
 */
final class BridgeIsolation {

    static final String STAGE_1 = "BERTH-ISOLATION-STAGE-1";
    static final String STAGE_2 = "BERTH-ISOLATION-STAGE-2";
    private static final Log LOG = Log.of(BridgeIsolation.class);

    private final HostCommands host;

    BridgeIsolation(HostCommands host) {
        this.host = host;
    }

    /** True if the chains exist in the calling thread's network namespace (the guard made them). */
    boolean present() {
        return host.run(List.of("iptables", "-w", "-S", STAGE_1)).ok()
                && host.run(List.of("iptables", "-w", "-S", STAGE_2)).ok();
    }

    /** Creates the chains if missing (each ending in RETURN) and makes their rules those of {@code devices}. */
    void ensure(List<String> devices) {
        for (String chain : List.of(STAGE_1, STAGE_2)) {
            if (!host.run(List.of("iptables", "-w", "-S", chain)).ok()) {
                host.check(List.of("iptables", "-w", "-N", chain));
                host.check(List.of("iptables", "-w", "-A", chain, "-j", "RETURN"));
            }
        }
        sync(devices);
    }

    /** If the chains exist: adds the rules of {@code devices} that are missing, deletes those of other bridges. */
    void syncIfPresent(List<String> devices) {
        if (present()) {
            sync(devices);
        }
    }

    /** Deletes one bridge's rules if the chains exist (its network was removed). */
    void removeIfPresent(String device) {
        if (!present()) {
            return;
        }
        host.run(delete(STAGE_1, stage1(device)));
        host.run(delete(STAGE_2, stage2(device)));
    }

    static List<String> stage1(String device) {
        return List.of("-i", device, "!", "-o", device, "-j", STAGE_2);
    }

    static List<String> stage2(String device) {
        return List.of("-o", device, "-j", "DROP");
    }

    private void sync(List<String> devices) {
        Set<String> wanted = new LinkedHashSet<>(devices);
        syncChain(STAGE_1, wanted, true);
        syncChain(STAGE_2, wanted, false);
    }

    private void syncChain(String chain, Set<String> wanted, boolean first) {
        Set<String> have = new LinkedHashSet<>();
        for (String line : host.check(List.of("iptables", "-w", "-S", chain)).lines().toList()) {
            List<String> rule = IptablesRules.tokens(line);
            if (rule.size() < 3 || !rule.get(0).equals("-A")) {
                continue;
            }
            List<String> args = rule.subList(2, rule.size());
            String device = args.size() > 1 && args.get(0).equals(first ? "-i" : "-o") ? args.get(1) : null;
            if (device == null) {
                continue; // the RETURN
            }
            if (!wanted.contains(device) || !args.equals(first ? stage1(device) : stage2(device))) {
                host.run(delete(chain, args));
                LOG.debug("isolation rule removed", "chain", chain, "device", device);
            } else {
                have.add(device);
            }
        }
        for (String device : wanted) {
            if (!have.contains(device)) {
                List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-I", chain, "1"));
                argv.addAll(first ? stage1(device) : stage2(device));
                host.check(argv);
            }
        }
    }

    private static List<String> delete(String chain, List<String> rule) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-D", chain));
        argv.addAll(rule);
        return argv;
    }
}
