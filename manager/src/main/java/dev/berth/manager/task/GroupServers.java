package dev.berth.manager.task;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The shim servers that serve every task of their namespace, by shim binary and namespace: berth-shim's namespace
 * server says so in its Connect answer ({@code version} {@value #NAMESPACE_SERVER}). A task of that namespace whose
 * spec names no group then joins the server directly: berthd connects and creates the task there without running
 * the shim's {@code start}, which would only print the same address (berth-shim-start.c's own fast path finds the
 * server by the same rule). The address is a hint, never trusted alone: when nothing answers there, or the server
 * answers that it is exiting, the task runs {@code start} as containerd's protocol has it, which finds or starts
 * the group's server. Any other shim (containerd's, or berth-shim with a server per container or per label) is
 * never joined this way.
 */
final class GroupServers {
    /** The version a berth-shim server reports in Connect, followed by its group scope (shim.task.TaskService). */
    static final String BERTH_SHIM = "berth-shim group=";
    static final String NAMESPACE_SERVER = BERTH_SHIM + "namespace";
    private static final String CONTAINER_SERVER = BERTH_SHIM + "container";
    /** Spec annotations that can put a task in a group of its own (berth-shim's ShimGroup.ANNOTATIONS). */
    private static final List<String> GROUP_ANNOTATIONS =
            List.of("io.containerd.runc.v2.group", "io.kubernetes.cri.sandbox-id");

    private record Key(Path binary, String namespace) {}

    private final ConcurrentMap<Key, String> servers = new ConcurrentHashMap<>();

    /** The address of the server known to serve the namespace's tasks of {@code binary}, if {@code spec} joins it. */
    Optional<String> serving(Path binary, String namespace, byte[] spec) {
        if (mayNameGroup(spec)) {
            return Optional.empty();
        }
        return Optional.ofNullable(servers.get(new Key(binary, namespace)));
    }

    /**
     * Remembers the server at {@code address} if its Connect {@code version} says it serves the namespace: learned
     * when a task is created there, and when a task is found there again (recovery, or its server started anew).
     */
    void learn(Path binary, String namespace, String address, String version) {
        if (NAMESPACE_SERVER.equals(version)) {
            servers.put(new Key(binary, namespace), address);
        }
    }

    /** Drops {@code address}: nothing answered there, or the server is exiting. */
    void forget(Path binary, String namespace, String address) {
        servers.remove(new Key(binary, namespace), address);
    }

    /**
     * Whether a shim whose Connect answered {@code version} serves other tasks too, and stays for the next one of
     * its group after its last task: berth-shim's servers of a namespace or label. berthd neither waits for such a
     * server to exit nor kills it when a task's create fails.
     */
    static boolean shared(String version) {
        return version.startsWith(BERTH_SHIM) && !version.equals(CONTAINER_SERVER);
    }

    /** Whether the spec may carry a group annotation: a byte search, as berth-shim-start.c makes. */
    private static boolean mayNameGroup(byte[] spec) {
        String text = new String(spec, StandardCharsets.UTF_8);
        return GROUP_ANNOTATIONS.stream().anyMatch(text::contains);
    }
}
