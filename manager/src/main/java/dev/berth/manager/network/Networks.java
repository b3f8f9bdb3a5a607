package dev.berth.manager.network;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import dev.berth.manager.metadata.EngineRecord;
import dev.berth.manager.metadata.NetworkStore;
import dev.berth.model.DockerJson;
import dev.berth.model.Network;
import dev.berth.model.NetworkCreate;
import dev.berth.model.NetworkEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * berthd's networks, docker's model: create, inspect, list (docker's filters), remove and prune, with the three
 * built-in networks {@code bridge} (device {@code berth0} by default, 172.17.0.0/16 or the first /16 of docker's
 * pool 172.17–172.31 the host does not route), {@code host} and {@code none} always present. Each bridge network's
 * CNI configuration list is kept in {@code <root>/net.d} from its record. Changes are serialised by one lock, so
 * the subnet checks see every network.
 */
public final class Networks {

    private static final Log LOG = Log.of(Networks.class);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    static final Set<String> BUILTIN = Set.of("bridge", "host", "none");

    private final NetworkStore store;
    private final NetworkOptions options;
    private final Clock clock;
    private final HostCommands host;
    private final Conflists conflists;
    private final BridgeIsolation isolation;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();

    public Networks(NetworkStore store, NetworkOptions options, Clock clock) {
        this(store, options, clock, new HostCommands());
    }

    Networks(NetworkStore store, NetworkOptions options, Clock clock, HostCommands host) {
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.host = host;
        this.conflists = new Conflists(options);
        this.isolation = new BridgeIsolation(host);
    }

    NetworkOptions options() {
        return options;
    }

    Conflists conflists() {
        return conflists;
    }

    /**
     * Creates the built-in networks that are missing and (re)writes every bridge network's configuration list
     * (berthd's masquerade switch may have changed since). Called once at start.
     */
    public void ensureBuiltins() throws IOException {
        synchronized (lock) {
            if (store.getByName("bridge").isEmpty()) {
                Subnet subnet = firstFree(List.of(), routedSubnets()).orElseThrow(() -> BerthException
                        .failedPrecondition("create network bridge: no free /16 in 172.17.0.0–172.31.0.0"));
                Map<String, String> opts = new LinkedHashMap<>();
                opts.put("com.docker.network.bridge.default_bridge", "true");
                opts.put("com.docker.network.bridge.enable_icc", "true");
                opts.put(BridgeNetwork.OPT_MASQUERADE, "true");
                opts.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
                opts.put(BridgeNetwork.OPT_BRIDGE_NAME, options.defaultBridge());
                opts.put(BridgeNetwork.OPT_MTU, "1500");
                insert(document("bridge", "bridge", subnet, subnet.host(1), Optional.empty(), false, opts, Map.of()));
            }
            for (String name : List.of("host", "none")) {
                if (store.getByName(name).isEmpty()) {
                    insert(new Network(name, newId(), clock.instant().toString(), "local",
                            name.equals("host") ? "host" : "null", false,
                            new Network.Ipam("default", null, List.of()), false, false, false, null, Map.of(),
                            Map.of()));
                }
            }
            for (EngineRecord r : store.list()) {
                Network doc = read(r);
                if ("bridge".equals(doc.driver())) {
                    conflists.write(BridgeNetwork.of(doc));
                }
            }
        }
    }

    /** docker's {@code network create}; the new document. */
    public Network create(NetworkCreate req) throws IOException {
        String name = req.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw BerthException.invalidArgument("invalid network name \"" + (name == null ? "" : name)
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        String driver = req.driver() == null || req.driver().isEmpty() ? "bridge" : req.driver();
        if (!driver.equals("bridge")) {
            throw BerthException.invalidArgument("create network " + name + ": driver " + driver
                    + " is not supported (only bridge networks can be created)");
        }
        if (Boolean.TRUE.equals(req.enableIpv6())) {
            throw BerthException.invalidArgument("create network " + name + ": IPv6 is not supported");
        }
        Map<String, String> opts = req.options() == null ? Map.of() : req.options();
        validateOptions(name, opts);
        synchronized (lock) {
            if (store.getByName(name).isPresent()) {
                throw BerthException.alreadyExists("network with name " + name + " already exists");
            }
            List<Subnet> taken = new ArrayList<>();
            for (EngineRecord r : store.list()) {
                Network doc = read(r);
                if ("bridge".equals(doc.driver())) {
                    taken.add(BridgeNetwork.of(doc).subnet());
                }
            }
            List<Network.IpamConfig> configs = req.ipam() == null || req.ipam().config() == null
                    ? List.of() : req.ipam().config();
            if (configs.size() > 1) {
                throw BerthException.invalidArgument("create network " + name + ": one IPv4 subnet per network");
            }
            Subnet subnet;
            int gateway;
            Optional<Subnet> range = Optional.empty();
            if (configs.isEmpty() || configs.get(0).subnet() == null || configs.get(0).subnet().isEmpty()) {
                if (!configs.isEmpty() && ((configs.get(0).gateway() != null && !configs.get(0).gateway().isEmpty())
                        || (configs.get(0).ipRange() != null && !configs.get(0).ipRange().isEmpty()))) {
                    throw BerthException.invalidArgument("create network " + name
                            + ": a gateway or ip-range needs a subnet");
                }
                List<Subnet> avoid = new ArrayList<>(taken);
                avoid.addAll(routedSubnets());
                subnet = firstFree(avoid, List.of()).or(() -> firstFree192(avoid)).orElseThrow(() ->
                        BerthException.failedPrecondition("create network " + name
                                + ": could not find an available, non-overlapping IPv4 address pool"));
                gateway = subnet.host(1);
            } else {
                Network.IpamConfig cfg = configs.get(0);
                subnet = Subnet.parse(cfg.subnet(), "subnet");
                if (subnet.prefix() > 30) {
                    throw BerthException.invalidArgument("create network " + name + ": subnet " + subnet
                            + " is too small");
                }
                for (Subnet t : taken) {
                    if (t.overlaps(subnet)) {
                        throw BerthException.invalidArgument(
                                "Pool overlaps with other one on this address space");
                    }
                }
                if (cfg.ipRange() != null && !cfg.ipRange().isEmpty()) {
                    Subnet r = Subnet.parse(cfg.ipRange(), "ip-range");
                    if (!subnet.contains(r)) {
                        throw BerthException.invalidArgument("no matching subnet for range " + cfg.ipRange());
                    }
                    range = Optional.of(r);
                }
                if (cfg.gateway() != null && !cfg.gateway().isEmpty()) {
                    gateway = Subnet.address(cfg.gateway(), "gateway");
                    if (!subnet.contains(gateway) || gateway == subnet.base() || gateway == subnet.last()) {
                        throw BerthException.invalidArgument("no matching subnet for gateway " + cfg.gateway());
                    }
                } else {
                    gateway = subnet.host(1);
                }
            }
            Network doc = document(name, "bridge", subnet, gateway, range, Boolean.TRUE.equals(req.internal()),
                    opts, req.labels() == null ? Map.of() : req.labels());
            doc = new Network(doc.name(), doc.id(), doc.created(), doc.scope(), doc.driver(), false, doc.ipam(),
                    doc.internal(), Boolean.TRUE.equals(req.attachable()), false, null, doc.options(), doc.labels());
            insert(doc);
            try {
                conflists.write(BridgeNetwork.of(doc));
                isolation.syncIfPresent(bridgeDevices());
            } catch (IOException | RuntimeException e) {
                conflists.remove(doc.name());
                store.delete(doc.id());
                throw e;
            }
            LOG.info("network created", "network", name, "id", doc.id(), "subnet", subnet);
            return doc.withContainers(Map.of());
        }
    }

    /** docker's {@code network inspect}: by full name, full id or unique id prefix, with its containers. */
    public Network inspect(String idOrName) throws IOException {
        Network doc = resolve(idOrName);
        Map<String, NetworkEndpoint> containers = new LinkedHashMap<>();
        for (NetworkStore.Endpoint e : store.endpoints(doc.id())) {
            EndpointRecord ep = EndpointRecord.read(e.json());
            containers.put(e.container(), ep.networkEndpoint());
        }
        return doc.withContainers(containers);
    }

    /** docker's {@code network ls} with filters name, id, label, driver, type (custom|builtin), dangling. */
    public List<Network> list(Map<String, List<String>> filters) throws IOException {
        NetworkFilters f = NetworkFilters.of(filters);
        List<Network> out = new ArrayList<>();
        for (EngineRecord r : store.list()) {
            Network doc = read(r);
            boolean dangling = store.endpoints(doc.id()).isEmpty();
            if (f.matches(doc, BUILTIN.contains(doc.name()), dangling)) {
                out.add(inspect(doc.id()));
            }
        }
        return out;
    }

    /** docker's {@code network rm}: refused for the built-ins and while containers are attached. */
    public void remove(String idOrName) throws IOException {
        synchronized (lock) {
            Network doc = resolve(idOrName);
            if (BUILTIN.contains(doc.name())) {
                throw BerthException.failedPrecondition(doc.name()
                        + " is a pre-defined network and cannot be removed");
            }
            if (!store.endpoints(doc.id()).isEmpty()) {
                throw BerthException.failedPrecondition("error while removing network: network " + doc.name()
                        + " id " + doc.id() + " has active endpoints");
            }
            store.delete(doc.id());
            release(doc);
        }
    }

    /** docker's {@code network prune}: removes user networks no container uses; their names. */
    public List<String> prune(Map<String, List<String>> filters) throws IOException {
        Map<String, List<String>> f = new LinkedHashMap<>(filters);
        f.put("type", List.of("custom"));
        f.put("dangling", List.of("true"));
        List<String> removed = new ArrayList<>();
        for (Network n : list(f)) {
            try {
                remove(n.id());
                removed.add(n.name());
            } catch (BerthException e) {
                LOG.info("network prune skipped a network", "network", n.name(), "reason", e.getMessage());
            }
        }
        return removed;
    }

    /** The stored document of a network by full name, full id or unique id prefix; NOT_FOUND otherwise. */
    Network resolve(String idOrName) throws IOException {
        Optional<EngineRecord> r = store.getByName(idOrName);
        if (r.isEmpty()) {
            r = store.get(idOrName);
        }
        if (r.isEmpty() && !idOrName.isEmpty()) {
            List<EngineRecord> matches = store.list().stream().filter(x -> x.key().startsWith(idOrName)).toList();
            if (matches.size() > 1) {
                throw BerthException.invalidArgument("network " + idOrName + " is ambiguous (" + matches.size()
                        + " matches found based on ID prefix)");
            }
            r = matches.stream().findFirst();
        }
        return read(r.orElseThrow(() -> BerthException.notFound("network " + idOrName + " not found")));
    }

    /** Every stored network. */
    List<Network> all() throws IOException {
        List<Network> out = new ArrayList<>();
        for (EngineRecord r : store.list()) {
            out.add(read(r));
        }
        return out;
    }

    /** The bridge devices of every bridge network (the isolation chains' rules). */
    List<String> bridgeDevices() throws IOException {
        List<String> out = new ArrayList<>();
        for (Network n : all()) {
            if ("bridge".equals(n.driver())) {
                out.add(BridgeNetwork.of(n).device());
            }
        }
        return out;
    }

    /** Removes what a deleted bridge network left on the host: its list, its allocations, its bridge. */
    private void release(Network doc) throws IOException {
        if (!"bridge".equals(doc.driver())) {
            return;
        }
        conflists.remove(doc.name());
        deleteTree(options.ipamDir().resolve(doc.name()));
        String device = BridgeNetwork.of(doc).device();
        isolation.removeIfPresent(device);
        if (host.run(List.of("ip", "link", "show", device)).ok()) {
            host.check(List.of("ip", "link", "del", device));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    private void validateOptions(String name, Map<String, String> opts) {
        for (String key : List.of(BridgeNetwork.BERTH_MASQUERADE, BridgeNetwork.OPT_MASQUERADE)) {
            String v = opts.get(key);
            if (v != null && !v.equals("true") && !v.equals("false")) {
                throw BerthException.invalidArgument("create network " + name + ": option " + key
                        + " must be true or false, not " + v);
            }
        }
        for (String key : List.of(BridgeNetwork.BERTH_MTU, BridgeNetwork.OPT_MTU)) {
            String v = opts.get(key);
            if (v != null) {
                int mtu;
                try {
                    mtu = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    mtu = -1;
                }
                if (mtu < 68 || mtu > 65535) {
                    throw BerthException.invalidArgument("create network " + name + ": invalid mtu " + v);
                }
            }
        }
        String device = opts.get(BridgeNetwork.OPT_BRIDGE_NAME);
        if (device != null && (device.isEmpty() || device.length() > 15 || !NAME.matcher(device).matches())) {
            throw BerthException.invalidArgument("create network " + name + ": invalid bridge name " + device);
        }
    }

    private Network document(String name, String driver, Subnet subnet, int gateway, Optional<Subnet> range,
                             boolean internal, Map<String, String> opts, Map<String, String> labels) {
        Network.IpamConfig cfg = new Network.IpamConfig(subnet.toString(), range.map(Subnet::toString).orElse(null),
                Subnet.format(gateway), null);
        return new Network(name, newId(), clock.instant().toString(), "local", driver, false,
                new Network.Ipam("default", null, List.of(cfg)), internal, false, false, null, opts, labels);
    }

    private void insert(Network doc) throws IOException {
        store.create(doc.id(), doc.name(), new String(DockerJson.write(doc.withContainers(null)),
                StandardCharsets.UTF_8));
    }

    private String newId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static Network read(EngineRecord r) {
        return DockerJson.read(r.json().getBytes(StandardCharsets.UTF_8), Network.class, "network " + r.name());
    }

    /** docker's pool for local networks: 172.17.0.0/16 … 172.31.0.0/16; the first overlapping none of these. */
    private static Optional<Subnet> firstFree(List<Subnet> taken, List<Subnet> routed) {
        for (int second = 17; second <= 31; second++) {
            Subnet candidate = new Subnet((172 << 24) | (second << 16), 16);
            if (taken.stream().noneMatch(candidate::overlaps) && routed.stream().noneMatch(candidate::overlaps)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** docker's second pool: 192.168.0.0/16 in /20s. */
    private static Optional<Subnet> firstFree192(List<Subnet> taken) {
        for (int third = 0; third < 256; third += 16) {
            Subnet candidate = new Subnet((192 << 24) | (168 << 16) | (third << 8), 20);
            if (taken.stream().noneMatch(candidate::overlaps)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The IPv4 subnets the host routes (the default route aside), from {@code ip -4 route}. */
    private List<Subnet> routedSubnets() {
        HostCommands.Output out = host.run(List.of("ip", "-4", "-o", "route", "show", "table", "all"));
        List<Subnet> routed = new ArrayList<>();
        if (!out.ok()) {
            return routed;
        }
        for (String line : out.text().split("\n")) {
            String[] words = line.strip().split("\\s+");
            int i = words.length > 0 && (words[0].equals("local") || words[0].equals("broadcast")
                    || words[0].equals("unicast")) ? 1 : 0;
            if (words.length <= i || words[i].equals("default") || words[i].isEmpty()) {
                continue;
            }
            String dst = words[i].contains("/") ? words[i] : words[i] + "/32";
            try {
                Subnet s = Subnet.parse(dst, "route");
                if (s.prefix() > 0 && (s.base() >>> 24) != 127) {
                    routed.add(s);
                }
            } catch (BerthException e) {
                // not an IPv4 destination
            }
        }
        return routed;
    }
}
