package dev.berth.runtime.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config.json that {@code spec} writes: runc's example configuration, field for field and in runc's order, as a
 * value tree for {@link Json#writePretty}; {@link #rootless} is {@code spec --rootless}.
 */
public final class DefaultSpec {

    private static final List<String> DEFAULT_CAPABILITIES = List.of(
            "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private DefaultSpec() {}

    /** The configuration for a container run as root: {@code sh} on a read-only {@code rootfs}, five namespaces. */
    public static Map<String, Object> standard() {
        Map<String, Object> linux = object(
                "resources", object("devices", List.of(object("allow", false, "access", "rwm"))),
                "namespaces", namespaces("pid", "network", "ipc", "uts", "mount"),
                "maskedPaths", maskedPaths(),
                "readonlyPaths", readonlyPaths());
        return document(mounts(false), linux);
    }

    /**
     * The configuration for a container created by an unprivileged user (runc's {@code ToRootless}): a user
     * namespace mapping root to {@code uid}/{@code gid} (the caller's effective ids), no network namespace, no device
     * cgroup rules, {@code /sys} bind-mounted instead of a new sysfs, and no {@code gid=5} for devpts.
     */
    public static Map<String, Object> rootless(long uid, long gid) {
        Map<String, Object> linux = object(
                "uidMappings", List.of(object("containerID", 0L, "hostID", uid, "size", 1L)),
                "gidMappings", List.of(object("containerID", 0L, "hostID", gid, "size", 1L)),
                "namespaces", namespaces("pid", "ipc", "uts", "mount", "user"),
                "maskedPaths", maskedPaths(),
                "readonlyPaths", readonlyPaths());
        return document(mounts(true), linux);
    }

    private static Map<String, Object> document(List<Object> mounts, Map<String, Object> linux) {
        return object(
                "ociVersion", Features.OCI_VERSION_MAX,
                "process", object(
                        "terminal", true,
                        "user", object("uid", 0L, "gid", 0L),
                        "args", List.of("sh"),
                        "env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                "TERM=xterm"),
                        "cwd", "/",
                        "capabilities", object(
                                "bounding", DEFAULT_CAPABILITIES,
                                "effective", DEFAULT_CAPABILITIES,
                                "permitted", DEFAULT_CAPABILITIES,
                                "ambient", DEFAULT_CAPABILITIES),
                        "rlimits", List.of(object("type", "RLIMIT_NOFILE", "hard", 1024L, "soft", 1024L)),
                        "noNewPrivileges", true),
                "root", object("path", "rootfs", "readonly", true),
                "hostname", "runc",
                "mounts", mounts,
                "linux", linux);
    }

    private static List<Object> mounts(boolean rootless) {
        List<String> devpts = new ArrayList<>(List.of(
                "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        if (!rootless) {
            devpts.add("gid=5");
        }
        Map<String, Object> sys = rootless
                ? mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro"))
                : mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        return List.of(
                object("destination", "/proc", "type", "proc", "source", "proc"),
                mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                mount("/dev/pts", "devpts", "devpts", List.copyOf(devpts)),
                mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                sys,
                mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
    }

    private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        return object("destination", destination, "type", type, "source", source, "options", options);
    }

    private static List<Object> namespaces(String... types) {
        List<Object> list = new ArrayList<>();
        for (String type : types) {
            list.add(object("type", type));
        }
        return List.copyOf(list);
    }

    private static List<String> maskedPaths() {
        return List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi");
    }

    private static List<String> readonlyPaths() {
        return List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
    }

    /** An insertion-ordered JSON object from alternating keys and values. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
