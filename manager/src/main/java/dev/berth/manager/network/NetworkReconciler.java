package dev.berth.manager.network;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import dev.berth.manager.metadata.NetworkStore;
import dev.berth.manager.network.cni.CniCache;
import dev.berth.manager.network.cni.CniException;
import dev.berth.model.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * berthd's networking clean-up at start, so a crash never leaks addresses or rules: every endpoint, libcni cache
 * entry, host-local allocation, netns mount and iptables rule (CNI's {@code id: "<container>"} comments, the
 * firewall plugin's per-address accepts) that belongs to no container the engine knows is released, the cache
 * entries through DEL with their cached result; the isolation chains keep the rules of the existing bridge networks
 * only. A corrupt cache entry is reported and removed, never fatal.
 */
public final class NetworkReconciler {

    private static final Log LOG = Log.of(NetworkReconciler.class);
    private static final Pattern CNI_ID = Pattern.compile("id: \\\\\"([^\\\\\"]+)\\\\\"");
    private static final Pattern CNI_NAME = Pattern.compile("name: \\\\\"([^\\\\\"]+)\\\\\"");

    /** What one reconciliation released: container ids, and the cache files it found corrupt. */
    public record Report(List<String> released, List<String> corrupt) {
    }

    private final Networks networks;
    private final NetworkStore store;
    private final Sandboxes sandboxes;
    private final HostCommands host;

    public NetworkReconciler(Networks networks, NetworkStore store, Sandboxes sandboxes) {
        this(networks, store, sandboxes, new HostCommands());
    }

    NetworkReconciler(Networks networks, NetworkStore store, Sandboxes sandboxes, HostCommands host) {
        this.networks = networks;
        this.store = store;
        this.sandboxes = sandboxes;
        this.host = host;
    }

    public Report reconcile(KnownContainers known) throws IOException {
        Set<String> released = new java.util.LinkedHashSet<>();
        List<String> corrupt = new ArrayList<>();
        for (NetworkStore.Endpoint e : store.allEndpoints()) {
            if (!known.known(e.namespace(), e.container()) && !released.contains(e.container())) {
                try {
                    sandboxes.tearDown(e.namespace(), e.container());
                } catch (BerthException ex) {
                    LOG.warn("reconcile: tear down failed", "id", e.container(), "error", ex.getMessage());
                }
                released.add(e.container());
            }
        }
        Set<String> kept = new HashSet<>();
        for (NetworkStore.Endpoint e : store.allEndpoints()) {
            kept.add(e.container());
        }
        CniCache cache = sandboxes.cache();
        CniCache.Listing listing = cache.list();
        for (CniCache.Corrupt c : listing.corrupt()) {
            LOG.warn("reconcile: corrupt cni cache entry removed", "file", c.file(), "reason", c.reason());
            corrupt.add(c.file().getFileName().toString());
            cache.remove(c.file());
        }
        for (CniCache.Entry entry : listing.entries()) {
            if (kept.contains(entry.containerId())) {
                continue;
            }
            try {
                sandboxes.plugins().del(entry.config(), entry.runtimeConf(), entry.result());
            } catch (CniException ex) {
                LOG.warn("reconcile: cni del failed", "id", entry.containerId(), "error", ex.getMessage());
            }
            cache.remove(entry.networkName(), entry.containerId(), entry.ifName());
            released.add(entry.containerId());
        }
        NetnsMounts netns = sandboxes.netns();
        for (String id : netns.list()) {
            if (!kept.contains(id)) {
                netns.remove(netns.path(id));
                released.add(id);
            }
        }
        releaseAllocations(kept, released);
        releaseRules(kept, released);
        new BridgeIsolation(host).syncIfPresent(networks.bridgeDevices());
        if (!released.isEmpty()) {
            LOG.info("reconcile: released networking of unknown containers", "count", released.size());
        }
        return new Report(List.copyOf(released), corrupt);
    }

    /** host-local's files ({@code <dataDir>/<network>/<ip>} holding the container id) of unknown containers. */
    private void releaseAllocations(Set<String> kept, Set<String> released) throws IOException {
        Path dir = networks.options().ipamDir();
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (Network n : networks.all()) {
            names.add(n.name());
        }
        try (DirectoryStream<Path> nets = Files.newDirectoryStream(dir)) {
            for (Path net : nets) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(net)) {
                    for (Path f : files) {
                        String file = f.getFileName().toString();
                        if (file.startsWith("last_reserved_ip") || file.equals("lock")) {
                            continue;
                        }
                        String owner = Files.readString(f, StandardCharsets.UTF_8).lines().findFirst().orElse("")
                                .strip();
                        if (!kept.contains(owner)) {
                            Files.deleteIfExists(f);
                            released.add(owner);
                        }
                    }
                }
                if (!names.contains(net.getFileName().toString())) {
                    try (var rest = Files.list(net)) {
                        for (Path f : rest.toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(net);
                }
            }
        }
    }

    /** CNI's iptables rules of unknown containers: nat rules by their id comment, filter accepts by address. */
    private void releaseRules(Set<String> kept, Set<String> released) throws IOException {
        // only berthd's networks' rules: other CNI users of this namespace keep theirs
        Set<String> names = new HashSet<>();
        List<Subnet> subnets = new ArrayList<>();
        for (Network n : networks.all()) {
            names.add(n.name());
            if ("bridge".equals(n.driver())) {
                subnets.add(BridgeNetwork.of(n).subnet());
            }
        }
        HostCommands.Output nat = host.run(List.of("iptables", "-w", "-t", "nat", "-S"));
        if (nat.ok()) {
            Set<String> chains = new HashSet<>();
            for (String line : nat.text().lines().toList()) {
                Matcher m = CNI_ID.matcher(line);
                Matcher name = CNI_NAME.matcher(line);
                if (line.startsWith("-A ") && m.find() && !kept.contains(m.group(1)) && name.find()
                        && names.contains(name.group(1))) {
                    List<String> rule = IptablesRules.tokens(line);
                    rule.set(0, "-D");
                    List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-t", "nat"));
                    argv.addAll(rule);
                    host.run(argv);
                    int jump = rule.indexOf("-j");
                    if (jump > 0 && jump + 1 < rule.size() && rule.get(jump + 1).startsWith("CNI-")
                            && !rule.get(jump + 1).startsWith("CNI-HOSTPORT-")) {
                        chains.add(rule.get(jump + 1));
                    }
                    released.add(m.group(1));
                }
            }
            for (String chain : chains) {
                host.run(List.of("iptables", "-w", "-t", "nat", "-F", chain));
                host.run(List.of("iptables", "-w", "-t", "nat", "-X", chain));
            }
        }
        Set<String> addresses = new HashSet<>();
        for (NetworkStore.Endpoint e : store.allEndpoints()) {
            String ip = EndpointRecord.read(e.json()).endpoint().ipAddress();
            if (ip != null && !ip.isEmpty()) {
                addresses.add(ip + "/32");
            }
        }
        HostCommands.Output filter = host.run(List.of("iptables", "-w", "-S", "CNI-FORWARD"));
        if (filter.ok()) {
            for (String line : filter.text().lines().toList()) {
                List<String> rule = IptablesRules.tokens(line);
                int s = Math.max(rule.indexOf("-s"), rule.indexOf("-d"));
                if (line.startsWith("-A ") && s > 0 && s + 1 < rule.size() && !addresses.contains(rule.get(s + 1))
                        && ours(subnets, rule.get(s + 1))) {
                    rule.set(0, "-D");
                    List<String> argv = new ArrayList<>(List.of("iptables", "-w"));
                    argv.addAll(rule);
                    host.run(argv);
                }
            }
        }
    }

    private static boolean ours(List<Subnet> subnets, String cidr) {
        try {
            Subnet s = Subnet.parse(cidr, "address");
            return subnets.stream().anyMatch(x -> x.contains(s));
        } catch (BerthException e) {
            return false;
        }
    }
}
