package dev.berth.manager.server;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Level;
import dev.berth.manager.network.NetworkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.berth.manager.image.registry.RegistryHostsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.tomlj.TomlArray;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * berthd's settings: the defaults of DESIGN.md, overridden by a TOML file in containerd's shape, overridden by
 * flags. The file's keys:
 *
 * <pre>
 * root  = "/var/lib/berth"             # content, snapshots, metadata.db
 * state = "/run/berth"                 # bundles, shim sockets
 * [grpc]  address = "/run/berth/berthd.sock"
 * [ttrpc] address = "/run/berth/berthd.sock.ttrpc"   # where shims publish events
 * [debug] level = "info"
 * [docker] address = "/run/berth/docker.sock"   # the Docker Engine API; "" for none
 * [berth]
 *   snapshotter = "overlayfs"          # or "native"
 *   default_runtime = "io.containerd.runc.v2"
 *   max_unpacked_bytes = 0             # bound on the uncompressed bytes one pull or import unpacks; 0: none
 *   [berth.runtimes."io.containerd.runc.v2"] shim = "/usr/lib/berth/bin/berth-shim"
 *   [berth.registry]
 *     config = "/root/.docker/config.json"   # credentials, docker's format
 *     insecure = ["registry.lan:5000"]        # plain HTTP (127.0.0.1 and localhost always are)
 *     [berth.registry.mirrors] "docker.io" = ["mirror.lan:5000"]
 *   [berth.network]
 *     bridge = "berth0"                  # the default bridge's device; "none": containers default to --network none
 *     masquerade = true                  # false: no network masquerades (tests and the main job)
 *     upstream_dns = true                # false: the embedded DNS forwards nothing upstream
 *     plugin_dirs = ["/usr/lib/cni"]     # where the CNI plugins are looked for, in order
 * </pre>
 *
 * @param runtimes runtime name → shim binary; a runtime named by an absolute path needs no entry
 * @param registries how image transfer reaches registries: credentials, plain-HTTP hosts, mirrors
 * @param maxUnpackedBytes how many uncompressed bytes one pull or import may unpack (a layer that inflates
 *                   without bound fails it with RESOURCE_EXHAUSTED); 0, the default, for no bound, as containerd
 * @param network the networking switches: the default bridge device and whether traffic may leave the machine
 */
public record BerthdConfig(Path root, Path state, Path address, Path ttrpcAddress, String logLevel,
                           String snapshotter, String defaultRuntime, Map<String, Path> runtimes,
                           RegistryHostsConfig registries, long maxUnpackedBytes,
                           Optional<Path> dockerAddress, NetworkSwitches network) {

    public static final String DEFAULT_RUNTIME = "io.containerd.runc.v2";

    public BerthdConfig {
        runtimes = Map.copyOf(runtimes);
        if (maxUnpackedBytes < 0) {
            throw BerthException.invalidArgument("config: max_unpacked_bytes " + maxUnpackedBytes
                    + ": must not be negative (0 for no limit)");
        }
        if (!snapshotter.equals("overlayfs") && !snapshotter.equals("native")) {
            throw BerthException.invalidArgument("config: snapshotter " + snapshotter
                    + ": unknown (overlayfs or native)");
        }
        try {
            Level.parse(logLevel);
        } catch (IllegalArgumentException e) {
            throw BerthException.invalidArgument("config: " + e.getMessage());
        }
    }

    /** The defaults of DESIGN.md; {@code shim} is the berth-shim launcher that serves the default runtime. */
    public static BerthdConfig defaults(Path shim) {
        return new BerthdConfig(Path.of("/var/lib/berth"), Path.of("/run/berth"),
                Path.of("/run/berth/berthd.sock"), Path.of("/run/berth/berthd.sock.ttrpc"), "info",
                "overlayfs", DEFAULT_RUNTIME, Map.of(DEFAULT_RUNTIME, shim, "io.berth.shim.v1", shim),
                new RegistryHostsConfig(Optional.of(Path.of("/root/.docker/config.json")), List.of(), Map.of()), 0,
                Optional.of(Path.of("/run/berth/docker.sock")), NetworkSwitches.DOCKER);
    }

    /**
     * berthd's networking switches: {@code bridge} is the default bridge's device ({@code none} makes {@code none}
     * the default network mode, docker's {@code --bridge=none}); {@code masquerade} and {@code upstreamDns} let
     * traffic leave the machine (docker's defaults: on; the tests and the main job: off).
     */
    public record NetworkSwitches(String bridge, boolean masquerade, boolean upstreamDns, List<Path> pluginDirs) {
        /** docker's defaults. */
        public static final NetworkSwitches DOCKER = new NetworkSwitches("berth0", true, true);
        /** Nothing leaves the machine and containers get no network unless they ask for one (embedded tests). */
        public static final NetworkSwitches CONTAINED = new NetworkSwitches("none", false, false);

        /** With Debian's CNI plugins. */
        public NetworkSwitches(String bridge, boolean masquerade, boolean upstreamDns) {
            this(bridge, masquerade, upstreamDns, List.of(NetworkOptions.DEBIAN_PLUGINS));
        }

        public NetworkSwitches {
            pluginDirs = List.copyOf(pluginDirs);
            if (!bridge.equals("none") && !bridge.matches("[a-zA-Z0-9_.-]{1,15}")) {
                throw BerthException.invalidArgument("config: berth.network.bridge " + bridge
                        + ": not a device name (up to 15 of [a-zA-Z0-9_.-]) or none");
            }
        }

        public boolean defaultBridge() {
            return !bridge.equals("none");
        }
    }

    public BerthdConfig withNetwork(NetworkSwitches n) {
        return new BerthdConfig(root, state, address, ttrpcAddress, logLevel, snapshotter, defaultRuntime, runtimes,
                registries, maxUnpackedBytes, dockerAddress, n);
    }

    /** These settings overridden by the file's. */
    public BerthdConfig withFile(Path file) throws IOException {
        TomlParseResult toml = Toml.parse(Files.readString(file));
        if (toml.hasErrors()) {
            throw BerthException.invalidArgument("load config " + file + ": " + toml.errors().getFirst());
        }
        Path newAddress = path(toml, "grpc.address", address);
        Map<String, Path> rts = new LinkedHashMap<>(runtimes);
        TomlTable table = toml.getTable("berth.runtimes");
        if (table != null) {
            for (String name : table.keySet()) {
                TomlTable rt = table.getTable(java.util.List.of(name));
                if (rt == null || rt.getString("shim") == null) {
                    throw BerthException.invalidArgument("load config " + file + ": berth.runtimes." + name
                            + ": shim is required");
                }
                rts.put(name, Path.of(rt.getString("shim")));
            }
        }
        return new BerthdConfig(path(toml, "root", root), path(toml, "state", state), newAddress,
                path(toml, "ttrpc.address", Path.of(newAddress + ".ttrpc")),
                toml.getString("debug.level", () -> logLevel),
                toml.getString("berth.snapshotter", () -> snapshotter),
                toml.getString("berth.default_runtime", () -> defaultRuntime), rts, registries(toml, file),
                toml.getLong("berth.max_unpacked_bytes", () -> maxUnpackedBytes),
                toml.contains("docker.address") ? docker(toml.getString("docker.address"))
                        : dockerBeside(newAddress),
                new NetworkSwitches(toml.getString("berth.network.bridge", network::bridge),
                        toml.getBoolean("berth.network.masquerade", network::masquerade),
                        toml.getBoolean("berth.network.upstream_dns", network::upstreamDns),
                        pluginDirs(toml, file, network.pluginDirs())));
    }

    private static List<Path> pluginDirs(TomlParseResult toml, Path file, List<Path> fallback) {
        if (!toml.contains("berth.network.plugin_dirs")) {
            return fallback;
        }
        TomlArray array = toml.getArray("berth.network.plugin_dirs");
        if (array == null || array.isEmpty()) {
            throw BerthException.invalidArgument("load config " + file + ": berth.network.plugin_dirs: a list of "
                    + "directories is required");
        }
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(Path.of(array.getString(i)));
        }
        return out;
    }

    public BerthdConfig withRoot(Path p) {
        return new BerthdConfig(p, state, address, ttrpcAddress, logLevel, snapshotter, defaultRuntime, runtimes,
                registries, maxUnpackedBytes, dockerAddress, network);
    }

    public BerthdConfig withState(Path p) {
        return new BerthdConfig(root, p, address, ttrpcAddress, logLevel, snapshotter, defaultRuntime, runtimes,
                registries, maxUnpackedBytes, dockerAddress, network);
    }

    /**
     * The gRPC socket; the ttrpc socket follows it ({@code <address>.ttrpc}), as containerd's does, and so does the
     * Docker API's ({@code docker.sock} in the same directory) unless it is off.
     */
    public BerthdConfig withAddress(Path p) {
        return new BerthdConfig(root, state, p, Path.of(p + ".ttrpc"), logLevel, snapshotter, defaultRuntime,
                runtimes, registries, maxUnpackedBytes, dockerBeside(p), network);
    }

    private Optional<Path> dockerBeside(Path grpc) {
        return grpc.equals(address) ? dockerAddress : dockerAddress.map(d -> grpc.resolveSibling("docker.sock"));
    }

    public BerthdConfig withLogLevel(String level) {
        return new BerthdConfig(root, state, address, ttrpcAddress, level, snapshotter, defaultRuntime, runtimes,
                registries, maxUnpackedBytes, dockerAddress, network);
    }

    public BerthdConfig withSnapshotter(String name) {
        return new BerthdConfig(root, state, address, ttrpcAddress, logLevel, name, defaultRuntime, runtimes,
                registries, maxUnpackedBytes, dockerAddress, network);
    }

    /** Where the Docker Engine API is served; an empty path for nowhere. */
    public BerthdConfig withDockerAddress(Optional<Path> p) {
        return new BerthdConfig(root, state, address, ttrpcAddress, logLevel, snapshotter, defaultRuntime, runtimes,
                registries, maxUnpackedBytes, p, network);
    }

    /** {@code [docker] address} and {@code --docker-address}: a path, or empty for no Docker API. */
    static Optional<Path> docker(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /** {@code [berth.registry]}: {@code config} (docker's config.json), {@code insecure}, {@code mirrors.<host>}. */
    private RegistryHostsConfig registries(TomlParseResult toml, Path file) {
        Optional<Path> dockerConfig = Optional.ofNullable(toml.getString("berth.registry.config")).map(Path::of)
                .or(registries::dockerConfig);
        List<String> insecure = new ArrayList<>(registries.insecure());
        TomlArray list = toml.getArray("berth.registry.insecure");
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                insecure.add(list.getString(i));
            }
        }
        Map<String, List<String>> mirrors = new LinkedHashMap<>(registries.mirrors());
        TomlTable table = toml.getTable("berth.registry.mirrors");
        if (table != null) {
            for (String host : table.keySet()) {
                TomlArray m = table.getArray(List.of(host));
                if (m == null) {
                    throw BerthException.invalidArgument("load config " + file + ": berth.registry.mirrors." + host
                            + ": want a list of hosts");
                }
                List<String> hosts = new ArrayList<>();
                for (int i = 0; i < m.size(); i++) {
                    hosts.add(m.getString(i));
                }
                mirrors.put(host, hosts);
            }
        }
        return new RegistryHostsConfig(dockerConfig, insecure, mirrors);
    }

    private static Path path(TomlParseResult toml, String key, Path dflt) {
        String v = toml.getString(key);
        return v == null ? dflt : Path.of(v);
    }
}
