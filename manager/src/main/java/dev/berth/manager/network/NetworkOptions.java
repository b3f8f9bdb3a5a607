package dev.berth.manager.network;

import java.nio.file.Path;
import java.util.List;

/**
 * berthd's networking settings: its persistent root (conflists in {@code net.d}, libcni's cache in
 * {@code cni-cache}, host-local's allocations in {@code cni-ipam}), its state root (container netns mounts in
 * {@code netns}), where the CNI plugins are, the name of the default bridge device and the two switches that
 * keep traffic on the machine: {@code masquerade} (off: no network masquerades, whatever its options say) and
 * {@code upstreamDns} (off: the embedded DNS answers only names it knows).
 */
public record NetworkOptions(Path root, Path state, List<Path> pluginDirs, String defaultBridge, boolean masquerade,
                             boolean upstreamDns) {

    /** Debian's containernetworking-plugins. */
    public static final Path DEBIAN_PLUGINS = Path.of("/usr/lib/cni");

    public NetworkOptions {
        pluginDirs = List.copyOf(pluginDirs);
    }

    /** docker's defaults for a berthd at these roots: device {@code berth0}, masquerade and upstream DNS on. */
    public static NetworkOptions defaults(Path root, Path state) {
        return new NetworkOptions(root, state, List.of(DEBIAN_PLUGINS), "berth0", true, true);
    }

    /** These settings with masquerade and upstream DNS off: what tests and the main job run with. */
    public NetworkOptions contained() {
        return new NetworkOptions(root, state, pluginDirs, defaultBridge, false, false);
    }

    public Path confDir() {
        return root.resolve("net.d");
    }

    public Path cacheDir() {
        return root.resolve("cni-cache");
    }

    public Path ipamDir() {
        return root.resolve("cni-ipam");
    }

    public Path netnsDir() {
        return state.resolve("netns");
    }
}
