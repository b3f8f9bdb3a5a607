package dev.berth.manager.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import dev.berth.manager.network.Networks;
import dev.berth.manager.network.SandboxRequest;
import dev.berth.manager.network.Sandboxes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.ContainerConfig;
import dev.berth.model.ContainerSummary;
import dev.berth.model.DockerJson;
import dev.berth.model.EndpointSettings;
import dev.berth.model.HostConfig;
import dev.berth.model.Network;
import dev.berth.model.NetworkSettings;
import dev.berth.model.NetworkingConfig;
import dev.berth.model.PortBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's side of networking: docker's {@code --network} modes ({@code bridge}, the default, or {@code none}
 * when berthd runs without a default bridge; {@code host}; {@code none}; a user network; {@code container:ID}) over
 * {@link Sandboxes}. At create it checks the mode, keeps the endpoint requests ({@code NetworkingConfig}) in the
 * container's directory and names the netns path for the OCI spec; before each task it sets the sandbox up (the
 * published ports chosen then), writes the container's own address into its hosts file and, on user networks, the
 * embedded DNS into its resolv.conf; after each task (exit, rm, a failed start) it tears it down.
 */
public final class ContainerNetworking {
    private static final Log LOG = Log.of(ContainerNetworking.class);
    private static final String REQUEST = "networking.json";
    private static final String CONTAINER_MODE = "container:";

    private final Networks networks;
    private final Sandboxes sandboxes;
    private final String defaultMode;

    /** {@code defaultBridge} false: containers that name no network get {@code none} (docker's --bridge=none). */
    public ContainerNetworking(Networks networks, Sandboxes sandboxes, boolean defaultBridge) {
        this.networks = networks;
        this.sandboxes = sandboxes;
        this.defaultMode = defaultBridge ? "bridge" : "none";
    }

    /** What create keeps for the starts: the mode ({@code container:} with the full id) and the endpoints. */
    record Request(@JsonProperty("NetworkMode") String mode,
                   @JsonProperty("EndpointsConfig") Map<String, EndpointSettings> endpoints) {
        Request {
            endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
        }
    }

    /** Resolves another container's reference to its id (NOT_FOUND otherwise). */
    @FunctionalInterface
    interface ContainerIds {
        String resolve(String ref) throws IOException;
    }

    String mode(HostConfig host) {
        String m = host.networkMode();
        return m == null || m.isEmpty() || m.equals("default") ? defaultMode : m;
    }

    /**
     * At create: checks the networks named exist, keeps the request in {@code dir}, and answers the netns the OCI
     * spec joins (empty for the host's).
     */
    Optional<Path> prepare(String id, HostConfig host, NetworkingConfig networking, Path dir, ContainerIds ids)
            throws IOException {
        String mode = mode(host);
        Map<String, EndpointSettings> endpoints = networking == null ? Map.of() : networking.endpointsConfig();
        Optional<Path> netns;
        if (mode.startsWith(CONTAINER_MODE)) {
            if (publishes(host)) {
                throw BerthException.invalidArgument("conflicting options: port publishing and the container type "
                        + "network mode");
            }
            if (host.dns() != null && !host.dns().isEmpty()) {
                throw BerthException.invalidArgument("conflicting options: dns and the network mode");
            }
            if (host.extraHosts() != null && !host.extraHosts().isEmpty()) {
                throw BerthException.invalidArgument("conflicting options: custom host-to-IP mapping and the network "
                        + "mode");
            }
            String other = ids.resolve(mode.substring(CONTAINER_MODE.length()));
            if (other.equals(id)) {
                throw BerthException.invalidArgument("cannot join own network");
            }
            mode = CONTAINER_MODE + other;
            netns = Optional.of(sandboxes.netnsPath(other));
        } else {
            Network n = networks.inspect(mode);
            for (String name : endpoints.keySet()) {
                networks.inspect(name);
            }
            if (n.driver().equals("host") && publishes(host)) {
                LOG.info("published ports are discarded when using host network mode", "id", id);
            }
            netns = n.driver().equals("host") ? Optional.empty() : Optional.of(sandboxes.netnsPath(id));
        }
        Files.write(dir.resolve(REQUEST), DockerJson.write(new Request(mode, endpoints)));
        return netns;
    }

    /** Looks another container up by its id, for {@code container:ID}. */
    @FunctionalInterface
    interface Containers {
        EngineContainer find(String id) throws IOException;
    }

    /**
     * At create, after {@link #prepare}: the configuration the spec is built from. With {@code container:ID} the
     * container takes the other's hostname and domain name, as docker does (a hostname of its own is docker's
     * conflict); otherwise {@code merged} as it is.
     */
    ContainerConfig joinedConfig(ContainerConfig requested, ContainerConfig merged, Path dir, Containers containers)
            throws IOException {
        Optional<String> other = joined(dir);
        if (other.isEmpty()) {
            return merged;
        }
        if (requested.hostname() != null && !requested.hostname().isEmpty()) {
            throw BerthException.invalidArgument("conflicting options: hostname and the network mode");
        }
        EngineContainer c = containers.find(other.get());
        String hostname = c.config().hostname() == null || c.config().hostname().isEmpty()
                ? c.id().substring(0, Math.min(12, c.id().length())) : c.config().hostname();
        return merged.toBuilder().hostname(hostname).domainname(c.config().domainname()).build();
    }

    /** The container {@code container:ID} joins, as create resolved it; empty for the other modes. */
    Optional<String> joined(Path dir) throws IOException {
        Path file = dir.resolve(REQUEST);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String mode = DockerJson.read(Files.readAllBytes(file), Request.class, "container networking request").mode();
        return mode.startsWith(CONTAINER_MODE) ? Optional.of(mode.substring(CONTAINER_MODE.length()))
                : Optional.empty();
    }

    /**
     * docker's {@code container:ID} sharing: the spec's {@code /etc/hosts}, {@code /etc/resolv.conf} and {@code
     * /etc/hostname} bind the other container's files ({@code otherDir}) instead of this one's ({@code ownDir}), so
     * the address its starts write into its hosts file is seen here too.
     */
    static byte[] sharedEtc(byte[] spec, Path ownDir, Path otherDir) {
        ObjectNode root = (ObjectNode) DockerJson.read(spec, JsonNode.class, "container spec");
        for (JsonNode m : root.path("mounts")) {
            for (String file : List.of("hosts", "resolv.conf", "hostname")) {
                if (m.path("destination").asText().equals("/etc/" + file)
                        && m.path("source").asText().equals(ownDir.resolve(file).toString())) {
                    ((ObjectNode) m).put("source", otherDir.resolve(file).toString());
                }
            }
        }
        return DockerJson.write(root);
    }

    /**
     * docker's list row with the container's ports (the published ones with their host side, the exposed ones
     * without) and {@code NetworkSettings.Networks}: the endpoints it has while it runs, the networks it asked for
     * otherwise.
     */
    ContainerSummary summary(String namespace, EngineContainer c, ContainerSummary row, Path dir)
            throws IOException {
        NetworkSettings live = sandboxes.settings(namespace, c.id());
        List<Map<String, Object>> ports = new ArrayList<>();
        Map<String, EndpointSettings> byNetwork = new LinkedHashMap<>(live.networks());
        if (!byNetwork.isEmpty()) {
            Map<String, List<PortBinding>> published = live.ports() == null ? Map.of() : live.ports();
            published.forEach((key, bindings) -> bindings.forEach(b -> ports.add(port(key, b))));
            if (c.config().exposedPorts() != null) {
                for (String key : c.config().exposedPorts().keySet()) {
                    if (!published.containsKey(withProtocol(key))) {
                        ports.add(port(withProtocol(key), null));
                    }
                }
            }
        } else {
            Request r = request(c, dir);
            if (!r.mode().startsWith(CONTAINER_MODE)) {
                List<String> names = new ArrayList<>(List.of(r.mode()));
                names.addAll(r.endpoints().keySet());
                for (String name : names) {
                    try {
                        Network n = networks.inspect(name);
                        byNetwork.putIfAbsent(n.name(), new EndpointSettings(null, null, null, n.id(), "", "", "",
                                0, "", "", 0, "", null));
                    } catch (BerthException e) {
                        LOG.debug("list: a container's network is gone", "id", c.id(), "network", name);
                    }
                }
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("Networks", byNetwork);
        return new ContainerSummary(row.id(), row.names(), row.image(), row.imageId(), row.command(), row.created(),
                ports, row.sizeRw(), row.sizeRootFs(), row.labels(), row.state(), row.status(), row.hostConfig(),
                settings, row.mounts());
    }

    /**
     * docker's list filters about networking, on a row {@link #summary} made: {@code network} (a network's name or
     * id the container is on), {@code publish} and {@code expose} ({@code 80}, {@code 80/udp} or a range {@code
     * 8000-8080[/tcp]}: a published container port, an exposed one). Values of one filter are alternatives.
     */
    static boolean matches(EngineContainer c, ContainerSummary row, Map<String, List<String>> filters) {
        @SuppressWarnings("unchecked")
        Map<String, EndpointSettings> byNetwork = (Map<String, EndpointSettings>) row.networkSettings()
                .getOrDefault("Networks", Map.of());
        List<String> networks = filters.getOrDefault("network", List.of());
        boolean onNetwork = networks.isEmpty() || networks.stream().anyMatch(v -> byNetwork.containsKey(v)
                || byNetwork.values().stream().anyMatch(e -> e.networkId() != null && !v.isEmpty()
                        && e.networkId().startsWith(v)));
        return onNetwork && anyPort(row, c, filters, "publish") && anyPort(row, c, filters, "expose");
    }

    private static boolean anyPort(ContainerSummary row, EngineContainer c, Map<String, List<String>> filters,
                                   String key) {
        List<String> values = filters.getOrDefault(key, List.of());
        if (values.isEmpty()) {
            return true;
        }
        List<String> ports = new ArrayList<>();
        if (key.equals("publish")) {
            row.ports().stream().filter(p -> p.containsKey("PublicPort"))
                    .forEach(p -> ports.add(p.get("PrivatePort") + "/" + p.get("Type")));
        } else if (c.config().exposedPorts() != null) {
            c.config().exposedPorts().keySet().forEach(p -> ports.add(withProtocol(p)));
        }
        for (String v : values) {
            String proto = v.contains("/") ? v.substring(v.indexOf('/') + 1) : "tcp";
            String range = v.contains("/") ? v.substring(0, v.indexOf('/')) : v;
            String[] bounds = range.split("-", 2);
            int first;
            int last;
            try {
                first = Integer.parseInt(bounds[0]);
                last = bounds.length > 1 ? Integer.parseInt(bounds[1]) : first;
            } catch (NumberFormatException e) {
                throw BerthException.invalidArgument("invalid filter '" + key + "=" + v + "'");
            }
            for (String p : ports) {
                int port = Integer.parseInt(p.substring(0, p.indexOf('/')));
                if (p.endsWith("/" + proto) && port >= first && port <= last) {
                    return true;
                }
            }
        }
        return false;
    }

    /** docker's {@code Port} of the list: IP and PublicPort only when published. */
    private static Map<String, Object> port(String key, PortBinding binding) {
        Map<String, Object> p = new LinkedHashMap<>();
        String[] parts = key.split("/");
        if (binding != null) {
            p.put("IP", binding.hostIp() == null || binding.hostIp().isEmpty() ? "0.0.0.0" : binding.hostIp());
        }
        p.put("PrivatePort", Integer.parseInt(parts[0]));
        if (binding != null && binding.hostPort() != null && !binding.hostPort().isEmpty()) {
            p.put("PublicPort", Integer.parseInt(binding.hostPort()));
        }
        p.put("Type", parts.length > 1 ? parts[1] : "tcp");
        return p;
    }

    /** Before a task: the sandbox (endpoints, addresses, published ports) and the container's etc files. */
    void setUp(String namespace, EngineContainer c, Path dir) throws IOException {
        Request request = request(c, dir);
        if (request.mode().startsWith(CONTAINER_MODE)) {
            String other = request.mode().substring(CONTAINER_MODE.length());
            if (!Files.exists(sandboxes.netnsPath(other))) {
                throw BerthException.failedPrecondition("cannot join network of a non running container: " + other);
            }
            return;
        }
        HostConfig host = c.hostConfig();
        boolean hostMode = networks.inspect(request.mode()).driver().equals("host");
        Map<String, List<PortBinding>> ports = hostMode ? Map.of() : published(c.config(), host);
        NetworkSettings settings = sandboxes.setUp(namespace, c.id(), c.name(),
                new SandboxRequest(request.mode(), request.endpoints(), ports)).settings();
        try {
            String address = settings.networks().values().stream().map(EndpointSettings::ipAddress)
                    .filter(a -> a != null && !a.isEmpty()).findFirst().orElse("");
            if (!address.isEmpty()) {
                Files.writeString(dir.resolve("hosts"), ownAddress(Files.readString(base(dir, "hosts")), address));
            }
            List<String> dns = sandboxes.dnsServers(namespace, c.id());
            if (!dns.isEmpty() && (host.dns() == null || host.dns().isEmpty())) {
                Files.writeString(dir.resolve("resolv.conf"),
                        nameservers(Files.readString(base(dir, "resolv.conf")), dns));
            }
        } catch (IOException | RuntimeException e) {
            tearDown(namespace, c.id());
            throw e;
        }
    }

    /** After a task, on rm and after a failed start: DEL on every network, the netns removed; failures logged. */
    void tearDown(String namespace, String id) {
        try {
            sandboxes.tearDown(namespace, id);
        } catch (IOException | RuntimeException e) {
            LOG.warn("tear down container network", e, "namespace", namespace, "id", id);
        }
    }

    /**
     * docker's {@code network connect}: a running container is attached now; the request kept in {@code dir}
     * attaches it at its next starts too.
     */
    void connect(String namespace, EngineContainer c, boolean running, Path dir, String network,
                 EndpointSettings endpoint) throws IOException {
        Request r = request(c, dir);
        Network n = networks.inspect(network);
        if (r.mode().startsWith(CONTAINER_MODE) || !n.driver().equals("bridge")
                || !networks.inspect(r.mode()).driver().equals("bridge")) {
            throw BerthException.invalidArgument("container cannot be disconnected from host network or connected "
                    + "to host network");
        }
        EndpointSettings asked = endpoint == null ? EndpointSettings.request(List.of(), null) : endpoint;
        if (running) {
            sandboxes.connect(namespace, c.id(), c.name(), n.name(), asked);
        }
        Map<String, EndpointSettings> endpoints = new LinkedHashMap<>(r.endpoints());
        endpoints.put(n.name(), asked);
        Files.write(dir.resolve(REQUEST), DockerJson.write(new Request(r.mode(), endpoints)));
    }

    /** docker's {@code network disconnect}: detached now if running, and no longer attached at its next starts. */
    void disconnect(String namespace, EngineContainer c, boolean running, Path dir, String network)
            throws IOException {
        Request r = request(c, dir);
        Network n = networks.inspect(network);
        if (running) {
            sandboxes.disconnect(namespace, c.id(), n.name());
        }
        Map<String, EndpointSettings> endpoints = new LinkedHashMap<>(r.endpoints());
        endpoints.remove(n.name());
        endpoints.remove(n.id());
        String mode = r.mode();
        if (mode.equals(n.name()) || mode.equals(n.id())) {
            mode = endpoints.isEmpty() ? "none" : endpoints.keySet().iterator().next();
        }
        Files.write(dir.resolve(REQUEST), DockerJson.write(new Request(mode, endpoints)));
    }

    /** {@code network disconnect -f} of a container that is gone: its endpoints left on the network. */
    void forceDisconnect(String namespace, String ref, String network) throws IOException {
        sandboxes.forceDisconnect(namespace, ref, network);
    }

    /** docker's {@code NetworkSettings} as inspect shows it. */
    Map<String, Object> inspect(String namespace, String id) throws IOException {
        return DockerJson.mapper().convertValue(sandboxes.settings(namespace, id),
                new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    /** docker's {@code port}: the published ports with the host ports chosen. */
    Map<String, List<PortBinding>> ports(String namespace, String id) throws IOException {
        return sandboxes.settings(namespace, id).ports();
    }

    private Request request(EngineContainer c, Path dir) throws IOException {
        Path file = dir.resolve(REQUEST);
        if (!Files.exists(file)) {
            return new Request(mode(c.hostConfig()), Map.of());
        }
        return DockerJson.read(Files.readAllBytes(file), Request.class, "container networking request");
    }

    /** {@code -p} bindings and, with {@code -P}, every exposed port not bound already on a free host port. */
    static Map<String, List<PortBinding>> published(ContainerConfig config, HostConfig host) {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        Map<String, List<PortBinding>> asked = host.portBindings() == null ? Map.of() : host.portBindings();
        asked.forEach((port, bindings) -> out.put(withProtocol(port),
                bindings == null || bindings.isEmpty() ? List.of(new PortBinding("", "")) : bindings));
        if (Boolean.TRUE.equals(host.publishAllPorts()) && config.exposedPorts() != null) {
            for (String port : config.exposedPorts().keySet()) {
                out.putIfAbsent(withProtocol(port), List.of(new PortBinding("", "")));
            }
        }
        return out;
    }

    private static boolean publishes(HostConfig host) {
        return host.portBindings() != null && !host.portBindings().isEmpty()
                || Boolean.TRUE.equals(host.publishAllPorts());
    }

    private static String withProtocol(String port) {
        return port.contains("/") ? port : port + "/tcp";
    }

    /** The file as the spec builder wrote it, kept once as {@code NAME.base} so each start rewrites from it. */
    private static Path base(Path dir, String name) throws IOException {
        Path base = dir.resolve(name + ".base");
        if (!Files.exists(base)) {
            Files.copy(dir.resolve(name), base, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return base;
    }

    /** docker's hosts file: the container's own names on its address rather than on loopback. */
    static String ownAddress(String hosts, String address) {
        List<String> lines = new ArrayList<>(hosts.lines().toList());
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.startsWith("127.0.0.1\t") && !line.equals("127.0.0.1\tlocalhost")) {
                lines.set(i, address + line.substring("127.0.0.1".length()));
                break;
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** The resolver configuration with the embedded DNS as its only nameservers (search and options kept). */
    static String nameservers(String resolvConf, List<String> servers) {
        StringBuilder out = new StringBuilder();
        for (String s : servers) {
            out.append("nameserver ").append(s).append('\n');
        }
        resolvConf.lines().filter(l -> !l.trim().startsWith("nameserver")).forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }
}
