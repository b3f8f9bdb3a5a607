package dev.berth.it.support;

import static dev.berth.testsupport.Json.arr;
import static dev.berth.testsupport.Json.obj;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The content of {@code runc spec}'s default {@code config.json} (runc 1.1), as a mutable JSON tree. */
public final class DefaultSpec {
    private DefaultSpec() {}

    static final List<String> DEFAULT_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    public static Map<String, Object> create() {
        return obj(
                "ociVersion", "1.0.2-dev",
                "process", obj(
                        "terminal", true,
                        "user", obj("uid", 0L, "gid", 0L),
                        "args", arr("sh"),
                        "env", arr("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                        "cwd", "/",
                        "capabilities", obj(
                                "bounding", new ArrayList<Object>(DEFAULT_CAPS),
                                "effective", new ArrayList<Object>(DEFAULT_CAPS),
                                "permitted", new ArrayList<Object>(DEFAULT_CAPS),
                                "ambient", new ArrayList<Object>(DEFAULT_CAPS)),
                        "rlimits", arr(obj("type", "RLIMIT_NOFILE", "hard", 1024L, "soft", 1024L)),
                        "noNewPrivileges", true),
                "root", obj("path", "rootfs", "readonly", true),
                "hostname", "runc",
                "mounts", arr(
                        mount("/proc", "proc", "proc"),
                        mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
                        mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                                "mode=0620", "gid=5"),
                        mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
                        mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
                        mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
                        mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro")),
                "linux", obj(
                        "resources", obj("devices", arr(obj("allow", false, "access", "rwm"))),
                        "namespaces", arr(obj("type", "pid"), obj("type", "network"), obj("type", "ipc"),
                                obj("type", "uts"), obj("type", "mount")),
                        "maskedPaths", arr("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                                "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
                                "/sys/firmware", "/proc/scsi"),
                        "readonlyPaths", arr("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                "/proc/sysrq-trigger")));
    }

    static Map<String, Object> mount(String destination, String type, String source, String... options) {
        Map<String, Object> m = obj("destination", destination, "type", type, "source", source);
        if (options.length > 0) {
            m.put("options", arr((Object[]) options));
        }
        return m;
    }
}
