package dev.berth.manager.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import dev.berth.manager.metadata.NetworkStore;
import dev.berth.manager.network.cni.CniCache;
import dev.berth.manager.network.cni.CniException;
import dev.berth.manager.network.cni.CniPlugins;
import dev.berth.manager.network.cni.ConfList;
import dev.berth.manager.network.cni.RuntimeConf;
import dev.berth.manager.network.dns.EmbeddedDns;
import dev.berth.model.EndpointSettings;
import dev.berth.model.Network;
import dev.berth.model.NetworkSettings;
import dev.berth.model.PortBinding;
import dev.berth.sys.MountSyscalls;
import dev.berth.sys.NetnsSyscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Containers' networking: a netns per container, its endpoints on networks through CNI, its published ports.
 *
 * <p>Set-up: the netns (a bind mount under {@code <state>/netns}) with its loopback up (by the native layer, as
 * docker's libnetwork does: CNI's {@code loopback} plugin was an exec of a Go binary on every start), then
 * for each network: the endpoint recorded, the libcni cache entry written without a result, {@code CNI_COMMAND=ADD}
 * through the network's list, the cache entry rewritten with the result, and only then the result used. A failure
 * anywhere runs DEL for what was added (with the cached result), removes the netns and releases the ports: nothing
 * is left. Tear-down runs DEL with each cached result while the netns is still mounted, then removes the netns.
 *
 * <p>Never two operations on one container at once (a lock per container, striped); the host side of every
 * bridge lives in the calling thread's network namespace.
 */
public final class Sandboxes implements AutoCloseable {

    private static final Log LOG = Log.of(Sandboxes.class);
    private static final int STRIPES = 64;

    private final Networks networks;
    private final NetworkStore store;
    private final NetnsMounts netns;
    private final CniPlugins plugins;
    private final CniCache cache;
    private final PortAllocator ports = new PortAllocator();
    private final ForwardingGuard guard;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final EmbeddedDns dns;

    /** With the embedded DNS on port 53, forwarding upstream as berthd's switch says. */
    public Sandboxes(Networks networks, NetworkStore store, NetnsSyscalls netnsCalls, MountSyscalls mounts)
            throws IOException {
        this(networks, store, netnsCalls, mounts, new EmbeddedDns(networks.options().upstreamDns(),
                Path.of("/etc/resolv.conf"), 53));
    }

    /**
     * Over the records of an earlier run: published ports are marked allocated again, and the embedded DNS serves
     * the user networks that have endpoints (binding in the calling thread's network namespace).
     */
    public Sandboxes(Networks networks, NetworkStore store, NetnsSyscalls netnsCalls, MountSyscalls mounts,
                     EmbeddedDns dns) throws IOException {
        this.dns = dns;
        this.networks = networks;
        this.store = store;
        NetworkOptions options = networks.options();
        this.netns = new NetnsMounts(options.netnsDir(), netnsCalls, mounts);
        this.plugins = new CniPlugins(options.pluginDirs());
        this.cache = new CniCache(options.cacheDir());
        this.guard = new ForwardingGuard(new HostCommands());
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
        for (NetworkStore.Endpoint e : store.allEndpoints()) {
            EndpointRecord r = EndpointRecord.read(e.json());
            r.ports().forEach((port, bindings) -> bindings.forEach(b -> ports.restore(new PortAllocator.Key(
                    protocol(port), b.hostIp(), Integer.parseInt(b.hostPort())))));
            Optional<Network> n = store.get(e.network()).map(Networks::read);
            if (n.isPresent() && resolvable(n.get()) && r.endpoint().ipAddress() != null
                    && !r.endpoint().ipAddress().isEmpty()) {
                register(n.get(), r.containerName(), r.endpoint());
            }
        }
    }

    /** The embedded DNS (its names, for renames and for the engine's own registrations). */
    public EmbeddedDns dns() {
        return dns;
    }

    /**
     * The nameservers a container's resolv.conf should name: the gateway of each user network it is on (the
     * embedded DNS); empty for containers only on the built-in networks (they get the host's, as on docker).
     */
    public List<String> dnsServers(String namespace, String containerId) throws IOException {
        List<String> out = new ArrayList<>();
        for (NetworkStore.Endpoint e : store.endpointsOf(namespace, containerId)) {
            Optional<Network> n = store.get(e.network()).map(Networks::read);
            if (n.isPresent() && resolvable(n.get())) {
                out.add(BridgeNetwork.of(n.get()).doc().ipam().config().get(0).gateway());
            }
        }
        return out;
    }

    /** Stops the embedded DNS responders. */
    @Override
    public void close() {
        dns.close();
    }

    private static boolean resolvable(Network n) {
        return "bridge".equals(n.driver()) && !Networks.BUILTIN.contains(n.name());
    }

    private void register(Network n, String containerName, EndpointSettings ep) {
        List<String> names = new ArrayList<>();
        names.add(containerName);
        if (ep.aliases() != null) {
            names.addAll(ep.aliases());
        }
        dns.names().register(n.id(), names, ep.ipAddress());
        dns.serve(n.id(), ep.gateway());
    }

    /** Where a container's netns is mounted while its networking is set up: the path its OCI spec names. */
    public Path netnsPath(String containerId) {
        return netns.path(containerId);
    }

    NetnsMounts netns() {
        return netns;
    }

    CniPlugins plugins() {
        return plugins;
    }

    CniCache cache() {
        return cache;
    }

    /** Sets up a new container's networking; on failure nothing of it is left. */
    public Sandbox setUp(String namespace, String containerId, String containerName, SandboxRequest request)
            throws IOException {
        return locked(containerId, () -> {
            String mode = request.networkMode() == null || request.networkMode().isEmpty()
                    || request.networkMode().equals("default") ? "bridge" : request.networkMode();
            if (mode.startsWith("container:")) {
                throw BerthException.invalidArgument("set up network of " + containerId + ": mode " + mode
                        + " shares another container's netns (the engine's to resolve)");
            }
            Network primary = networks.resolve(mode);
            if (!store.endpointsOf(namespace, containerId).isEmpty()) {
                throw BerthException.failedPrecondition("set up network of " + containerId + ": already set up");
            }
            List<Network> targets = new ArrayList<>(List.of(primary));
            for (String name : request.endpoints().keySet()) {
                Network n = networks.resolve(name);
                if (targets.stream().noneMatch(t -> t.id().equals(n.id()))) {
                    targets.add(n);
                }
            }
            if (targets.size() > 1 && targets.stream().anyMatch(t -> !"bridge".equals(t.driver()))) {
                throw BerthException.invalidArgument("container cannot be connected to host or none network and "
                        + "other networks at once");
            }
            Optional<Path> path = Optional.empty();
            boolean ok = false;
            try {
                if (!"host".equals(primary.driver())) {
                    path = Optional.of(netns.create(containerId)); // with its loopback up
                }
                boolean first = true;
                for (Network n : targets) {
                    EndpointSettings req = request.endpoints().get(n.name());
                    if (req == null) {
                        req = request.endpoints().get(n.id());
                    }
                    attach(namespace, containerId, containerName, n, path, req,
                            first ? request.portBindings() : Map.of());
                    first = false;
                }
                ok = true;
                return new Sandbox(path, settingsLocked(namespace, containerId));
            } catch (CniException e) {
                throw BerthException.internal("set up network of " + containerId + ": " + e.getMessage());
            } finally {
                if (!ok) {
                    detachAll(namespace, containerId);
                }
            }
        });
    }

    /** Tears a container's networking down: DEL on every network while the netns is mounted, then the netns. */
    public void tearDown(String namespace, String containerId) throws IOException {
        locked(containerId, () -> {
            Optional<CniException> failed = detachAll(namespace, containerId);
            if (failed.isPresent()) {
                throw BerthException.internal("tear down network of " + containerId + ": "
                        + failed.get().getMessage());
            }
            return null;
        });
    }

    /** docker's {@code network connect} of a container whose networking is set up. */
    public EndpointSettings connect(String namespace, String containerId, String containerName, String network,
                                    EndpointSettings request) throws IOException {
        return locked(containerId, () -> {
            Network n = networks.resolve(network);
            List<NetworkStore.Endpoint> eps = store.endpointsOf(namespace, containerId);
            if (eps.isEmpty()) {
                throw BerthException.failedPrecondition("connect " + containerId + " to " + network
                        + ": the container has no network namespace");
            }
            EndpointRecord any = EndpointRecord.read(eps.get(0).json());
            if (any.netns() == null || !"bridge".equals(n.driver())) {
                throw BerthException.invalidArgument("container cannot be disconnected from host network or "
                        + "connected to host network");
            }
            try {
                return attach(namespace, containerId, containerName, n, Optional.of(Path.of(any.netns())), request,
                        Map.of());
            } catch (CniException e) {
                throw BerthException.internal("connect " + containerId + " to " + network + ": " + e.getMessage());
            }
        });
    }

    /** docker's {@code network disconnect}. */
    public void disconnect(String namespace, String containerId, String network) throws IOException {
        locked(containerId, () -> {
            Network n = networks.resolve(network);
            NetworkStore.Endpoint e = store.endpointsOf(namespace, containerId).stream()
                    .filter(x -> x.network().equals(n.id())).findFirst()
                    .orElseThrow(() -> BerthException.notFound("container " + containerId
                            + " is not connected to network " + n.name()));
            try {
                detach(e);
            } catch (CniException ex) {
                throw BerthException.internal("disconnect " + containerId + " from " + network + ": "
                        + ex.getMessage());
            }
            return null;
        });
    }

    /**
     * docker's {@code network disconnect -f} of a container the engine no longer knows: its endpoints on {@code
     * network} in {@code namespace}, named by container id, id prefix or name, are released (DEL with the cached
     * result); NOT_FOUND if there is none.
     */
    public void forceDisconnect(String namespace, String containerRef, String network) throws IOException {
        Network n = networks.resolve(network);
        List<NetworkStore.Endpoint> stale = new ArrayList<>();
        for (NetworkStore.Endpoint e : store.endpoints(n.id())) {
            String name = EndpointRecord.read(e.json()).containerName();
            if (e.namespace().equals(namespace) && (e.container().startsWith(containerRef)
                    || containerRef.equals(name) || containerRef.equals("/" + name))) {
                stale.add(e);
            }
        }
        if (stale.isEmpty()) {
            throw BerthException.notFound("endpoint " + containerRef + " not found in network " + n.name());
        }
        for (NetworkStore.Endpoint e : stale) {
            locked(e.container(), () -> {
                try {
                    detach(e);
                } catch (CniException ex) {
                    throw BerthException.internal("disconnect " + e.container() + " from " + n.name() + ": "
                            + ex.getMessage());
                }
                return null;
            });
        }
    }

    /** docker's {@code NetworkSettings} of a container from its endpoints (all empty if it has none). */
    public NetworkSettings settings(String namespace, String containerId) throws IOException {
        return locked(containerId, () -> settingsLocked(namespace, containerId));
    }

    private NetworkSettings settingsLocked(String namespace, String containerId) throws IOException {
        Map<String, EndpointSettings> byNetwork = new LinkedHashMap<>();
        Map<String, List<PortBinding>> published = new LinkedHashMap<>();
        String sandboxKey = "";
        EndpointSettings bridge = null;
        for (NetworkStore.Endpoint e : store.endpointsOf(namespace, containerId)) {
            EndpointRecord r = EndpointRecord.read(e.json());
            Network n = Networks.read(store.get(e.network()).orElseThrow());
            byNetwork.put(n.name(), r.endpoint());
            published.putAll(r.ports());
            if (r.netns() != null) {
                sandboxKey = r.netns();
            }
            if (n.name().equals("bridge")) {
                bridge = r.endpoint();
            }
        }
        EndpointSettings top = bridge;
        return new NetworkSettings("", sandboxKey.isEmpty() ? "" : containerId, false, "", 0, published, sandboxKey,
                top == null ? "" : top.endpointId(), top == null ? "" : top.gateway(), "", 0,
                top == null ? "" : top.ipAddress(), top == null ? 0 : top.ipPrefixLen(), "",
                top == null ? "" : top.macAddress(), byNetwork);
    }

    private EndpointSettings attach(String namespace, String containerId, String containerName, Network n,
                                    Optional<Path> path, EndpointSettings request,
                                    Map<String, List<PortBinding>> bindings) throws IOException {
        List<String> aliases = new ArrayList<>();
        if (request != null && request.aliases() != null) {
            aliases.addAll(request.aliases());
        }
        String staticIp = request == null || request.ipamConfig() == null ? null : request.ipamConfig().ipv4Address();
        if (staticIp != null && staticIp.isEmpty()) {
            staticIp = null;
        }
        String endpointId = newId();
        if (!"bridge".equals(n.driver())) {
            if (staticIp != null) {
                throw BerthException.invalidArgument("user specified IP address is supported on user defined "
                        + "networks only");
            }
            EndpointSettings ep = new EndpointSettings(null, null, null, n.id(), endpointId, "", "", 0, "", "", 0,
                    "", null);
            store.addEndpoint(n.id(), namespace, containerId,
                    new EndpointRecord(containerName, "", path.map(Path::toString).orElse(null), ep, Map.of()).json());
            return ep;
        }
        BridgeNetwork bridge = BridgeNetwork.of(n);
        boolean user = !Networks.BUILTIN.contains(n.name());
        if (staticIp != null) {
            if (!user) {
                throw BerthException.invalidArgument("user specified IP address is supported on user defined "
                        + "networks only");
            }
            validateStaticIp(bridge, staticIp, n);
        }
        String shortId = containerId.substring(0, Math.min(12, containerId.length()));
        if (user && !aliases.contains(shortId)) { // compose asks for the short id itself
            aliases.add(shortId);
        }
        String ifName = nextIfName(namespace, containerId);
        List<PortAllocator.Key> allocated = new ArrayList<>();
        Map<String, List<PortBinding>> published = new LinkedHashMap<>();
        List<Map<String, Object>> mappings = new ArrayList<>();
        boolean recorded = false;
        boolean ok = false;
        ConfList list = networks.conflists().of(bridge);
        Map<String, Object> caps = new LinkedHashMap<>();
        RuntimeConf rt = null;
        Optional<JsonNode> result = Optional.empty();
        try {
            for (Map.Entry<String, List<PortBinding>> b : bindings.entrySet()) {
                String proto = protocol(b.getKey());
                int containerPort = port(b.getKey().split("/")[0], "container port " + b.getKey());
                List<PortBinding> hostSide = new ArrayList<>();
                for (PortBinding pb : b.getValue() == null || b.getValue().isEmpty()
                        ? List.of(new PortBinding("", "")) : b.getValue()) {
                    PortAllocator.Key key = allocate(proto, pb);
                    allocated.add(key);
                    hostSide.add(new PortBinding(key.hostIp(), Integer.toString(key.port())));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("hostPort", key.port());
                    m.put("containerPort", containerPort);
                    m.put("protocol", proto);
                    m.put("hostIP", key.hostIp().equals("0.0.0.0") ? "" : key.hostIp());
                    mappings.add(m);
                }
                published.put(containerPort + "/" + proto, hostSide);
            }
            if (!mappings.isEmpty()) {
                caps.put("portMappings", mappings);
            }
            if (staticIp != null) {
                caps.put("ips", List.of(staticIp + "/" + bridge.prefix()));
            }
            EndpointSettings pending = new EndpointSettings(request == null ? null : request.ipamConfig(), null,
                    aliases, n.id(), endpointId, "", "", 0, "", "", 0, "", null);
            String nsPath = path.orElseThrow().toString();
            store.addEndpoint(n.id(), namespace, containerId,
                    new EndpointRecord(containerName, ifName, nsPath, pending, published).json());
            recorded = true;
            rt = new RuntimeConf(containerId, nsPath, ifName, List.of(), caps);
            cache.write(list, rt, Optional.empty());
            result = Optional.of(plugins.add(list, rt));
            cache.write(list, rt, result);
            guard.apply(bridges());
            EndpointSettings done = fromResult(pending, result.get(), ifName, nsPath);
            store.updateEndpoint(n.id(), namespace, containerId,
                    new EndpointRecord(containerName, ifName, nsPath, done, published).json());
            if (resolvable(n)) {
                register(n, containerName, done);
            }
            ok = true;
            LOG.info("container attached", "namespace", namespace, "id", containerId, "network", n.name(),
                    "address", done.ipAddress());
            return done;
        } finally {
            if (!ok) {
                if (rt != null) {
                    try {
                        plugins.del(list, rt, result);
                    } catch (CniException e) {
                        LOG.warn("undo a failed attach", "id", containerId, "network", n.name(), "error",
                                e.getMessage());
                    }
                    cache.remove(list.name(), containerId, ifName);
                }
                if (recorded) {
                    store.removeEndpoint(n.id(), namespace, containerId);
                }
                allocated.forEach(ports::release);
            }
        }
    }

    /** DEL of one endpoint with its cached result (or its network's current list if nothing was cached). */
    private void detach(NetworkStore.Endpoint e) throws IOException {
        EndpointRecord r = EndpointRecord.read(e.json());
        Network n = Networks.read(store.get(e.network()).orElseThrow());
        if ("bridge".equals(n.driver())) {
            Optional<CniCache.Entry> cached;
            try {
                cached = cache.read(n.name(), e.container(), r.ifName());
            } catch (IOException ex) {
                LOG.warn("corrupt cni cache entry, deleting without it", "id", e.container(), "network", n.name(),
                        "error", ex.getMessage());
                cached = Optional.empty();
            }
            try {
                if (cached.isPresent()) {
                    plugins.del(cached.get().config(), cached.get().runtimeConf(), cached.get().result());
                } else {
                    plugins.del(networks.conflists().of(BridgeNetwork.of(n)), new RuntimeConf(e.container(),
                            r.netns(), r.ifName(), List.of(), capabilityArgs(r)), Optional.empty());
                }
            } finally {
                // a DEL that failed is reported, and the endpoint goes anyway: what a plugin left is found by
                // the reconciler's sweeps (nat rules by id, accepts by address, allocations by owner)
                cache.remove(n.name(), e.container(), r.ifName());
                forget(e, r);
            }
            return;
        }
        forget(e, r);
    }

    private void forget(NetworkStore.Endpoint e, EndpointRecord r) throws IOException {
        store.removeEndpoint(e.network(), e.namespace(), e.container());
        if (r.endpoint().ipAddress() != null && !r.endpoint().ipAddress().isEmpty()) {
            dns.names().unregister(e.network(), r.endpoint().ipAddress());
        }
        if (store.endpoints(e.network()).isEmpty()) {
            dns.stop(e.network());
        }
        r.ports().forEach((port, bindings) -> bindings.forEach(b -> ports.release(new PortAllocator.Key(
                protocol(port), b.hostIp(), Integer.parseInt(b.hostPort())))));
    }

    /**
     * DEL of every endpoint of a container, the last attached first, then its netns: each endpoint goes even if
     * a plugin fails; the first failure is returned.
     */
    private Optional<CniException> detachAll(String namespace, String containerId) throws IOException {
        List<NetworkStore.Endpoint> eps = new ArrayList<>(store.endpointsOf(namespace, containerId));
        java.util.Collections.reverse(eps);
        CniException failed = null;
        for (NetworkStore.Endpoint e : eps) {
            try {
                detach(e);
            } catch (CniException ex) {
                LOG.warn("network detach failed", "id", containerId, "network", e.network(), "error",
                        ex.getMessage());
                failed = failed != null ? failed : ex;
            }
        }
        netns.remove(netns.path(containerId));
        return Optional.ofNullable(failed);
    }

    /** Work on one container's networking, under its lock. */
    private interface Locked<T> {
        T run() throws IOException;
    }

    private <T> T locked(String containerId, Locked<T> work) throws IOException {
        ReentrantLock lock = lock(containerId);
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    List<ForwardingGuard.Bridge> bridges() throws IOException {
        List<ForwardingGuard.Bridge> out = new ArrayList<>();
        for (Network n : networks.all()) {
            if ("bridge".equals(n.driver())) {
                BridgeNetwork b = BridgeNetwork.of(n);
                out.add(new ForwardingGuard.Bridge(b.device(), b.masqueradeOption()
                        && networks.options().masquerade()));
            }
        }
        return out;
    }

    private static Map<String, Object> capabilityArgs(EndpointRecord r) {
        List<Map<String, Object>> mappings = new ArrayList<>();
        r.ports().forEach((port, bindings) -> bindings.forEach(b -> mappings.add(Map.of("hostPort",
                Integer.parseInt(b.hostPort()), "containerPort", Integer.parseInt(port.split("/")[0]), "protocol",
                protocol(port), "hostIP", b.hostIp().equals("0.0.0.0") ? "" : b.hostIp()))));
        return mappings.isEmpty() ? Map.of() : Map.of("portMappings", mappings);
    }

    private void validateStaticIp(BridgeNetwork bridge, String ip, Network n) throws IOException {
        int address = Subnet.address(ip, "IP address");
        Subnet pool = bridge.ipRange().orElse(bridge.subnet());
        if (!pool.contains(address) || address == bridge.subnet().base() || address == bridge.subnet().last()) {
            throw BerthException.invalidArgument("no configured subnet or ip-range contain the IP address " + ip);
        }
        if (address == bridge.gateway()) {
            throw BerthException.invalidArgument("Address already in use");
        }
        for (NetworkStore.Endpoint e : store.endpoints(n.id())) {
            if (ip.equals(EndpointRecord.read(e.json()).endpoint().ipAddress())) {
                throw BerthException.alreadyExists("Address already in use");
            }
        }
    }

    private String nextIfName(String namespace, String containerId) throws IOException {
        List<String> used = new ArrayList<>();
        for (NetworkStore.Endpoint e : store.endpointsOf(namespace, containerId)) {
            used.add(EndpointRecord.read(e.json()).ifName());
        }
        for (int i = 0; ; i++) {
            if (!used.contains("eth" + i)) {
                return "eth" + i;
            }
        }
    }

    /** The endpoint with the address, gateway and MAC of the CNI result's interface in the container. */
    private static EndpointSettings fromResult(EndpointSettings pending, JsonNode result, String ifName,
                                               String nsPath) {
        int index = -1;
        JsonNode interfaces = result.path("interfaces");
        for (int i = 0; i < interfaces.size(); i++) {
            JsonNode itf = interfaces.get(i);
            if (itf.path("name").asText().equals(ifName) && itf.path("sandbox").asText().equals(nsPath)) {
                index = i;
            }
        }
        String mac = index >= 0 ? interfaces.get(index).path("mac").asText("") : "";
        String address = "";
        int prefix = 0;
        String gateway = "";
        for (JsonNode ip : result.path("ips")) {
            if (ip.path("interface").asInt(-1) == index || index < 0) {
                String[] cidr = ip.path("address").asText("").split("/");
                if (cidr.length == 2 && !cidr[0].contains(":")) {
                    address = cidr[0];
                    prefix = Integer.parseInt(cidr[1]);
                    gateway = ip.path("gateway").asText("");
                    break;
                }
            }
        }
        return new EndpointSettings(pending.ipamConfig(), null, pending.aliases(), pending.networkId(),
                pending.endpointId(), gateway, address, prefix, "", "", 0, mac, null);
    }

    private static String protocol(String portKey) {
        int slash = portKey.indexOf('/');
        String proto = slash < 0 ? "tcp" : portKey.substring(slash + 1);
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw BerthException.invalidArgument("invalid proto: " + proto);
        }
        return proto;
    }

    /** A binding's host port: the one given, a free one for "", the first free one of a range "8000-8010". */
    private PortAllocator.Key allocate(String proto, PortBinding pb) {
        String text = pb.hostPort() == null ? "" : pb.hostPort();
        int dash = text.indexOf('-');
        if (dash < 0) {
            return ports.allocate(proto, pb.hostIp(), text.isEmpty() ? 0 : port(text, "host port " + text));
        }
        int first = port(text.substring(0, dash), "host port " + text);
        int last = port(text.substring(dash + 1), "host port " + text);
        BerthException taken = BerthException.invalidArgument("invalid host port range " + text);
        for (int p = first; p <= last; p++) {
            try {
                return ports.allocate(proto, pb.hostIp(), p);
            } catch (BerthException e) {
                taken = e;
            }
        }
        throw taken;
    }

    private static int port(String text, String what) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw BerthException.invalidArgument("invalid " + what + ": " + text);
    }

    private ReentrantLock lock(String containerId) {
        return locks[Math.floorMod(containerId.hashCode(), STRIPES)];
    }

    private String newId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
