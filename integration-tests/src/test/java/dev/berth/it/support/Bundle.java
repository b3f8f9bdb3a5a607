package dev.berth.it.support;

import static dev.berth.testsupport.Json.arr;
import static dev.berth.testsupport.Json.obj;

import dev.berth.testsupport.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OCI bundle: a busybox {@code rootfs} and a {@code config.json} that starts as {@code runc spec}'s default and
 * is changed through fluent methods named after the spec's fields.
 *
 * <p>{@link #create} already departs from the default in two ways every test needs: {@code terminal} is false (a
 * terminal needs a console socket; {@code ConsoleTest} turns it on) and {@code cgroupsPath} is unique, so that
 * parallel or leftover containers never share a cgroup.
 */
public final class Bundle {
    private final Path dir;
    private final Map<String, Object> spec;

    private Bundle(Path dir, Map<String, Object> spec) {
        this.dir = dir;
        this.spec = spec;
    }

    /** A new bundle in {@code dir} (created) with a fresh busybox rootfs. */
    public static Bundle create(Path dir, String cgroupsPath) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Rootfs.busybox(dir.resolve("rootfs"));
        Bundle b = new Bundle(dir, DefaultSpec.create());
        b.terminal(false).cgroupsPath(cgroupsPath);
        return b;
    }

    public Path dir() {
        return dir;
    }

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    public Path configFile() {
        return dir.resolve("config.json");
    }

    /** The whole spec tree, for changes no fluent method covers. */
    public Map<String, Object> spec() {
        return spec;
    }

    public String cgroupsPath() {
        return (String) linux().get("cgroupsPath");
    }

    /** Writes {@code config.json}; the runtime wrapper calls this before create and run. */
    public Bundle writeConfig() {
        try {
            Files.writeString(configFile(), Json.write(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    // --- process ---

    public Bundle args(String... args) {
        process().put("args", arr((Object[]) args));
        return this;
    }

    /** Shorthand for {@code args("sh", "-c", script)}: most probes are one line of shell. */
    public Bundle sh(String script) {
        return args("sh", "-c", script);
    }

    /** Adds or replaces {@code NAME=value} entries. */
    public Bundle env(String... entries) {
        List<Object> env = list(process(), "env");
        for (String entry : entries) {
            String name = entry.substring(0, entry.indexOf('=') + 1);
            env.removeIf(e -> ((String) e).startsWith(name));
            env.add(entry);
        }
        return this;
    }

    public Bundle cwd(String cwd) {
        process().put("cwd", cwd);
        return this;
    }

    public Bundle terminal(boolean terminal) {
        process().put("terminal", terminal);
        return this;
    }

    public Bundle user(long uid, long gid) {
        user().put("uid", uid);
        user().put("gid", gid);
        return this;
    }

    public Bundle additionalGids(long... gids) {
        List<Object> list = new ArrayList<>();
        for (long g : gids) {
            list.add(g);
        }
        user().put("additionalGids", list);
        return this;
    }

    public Bundle umask(int umask) {
        user().put("umask", (long) umask);
        return this;
    }

    /** Sets one capability set ("bounding", "effective", "permitted", "inheritable", "ambient"). */
    public Bundle capabilities(String set, String... caps) {
        map(process(), "capabilities").put(set, arr((Object[]) caps));
        return this;
    }

    /** Sets all five capability sets to the same list. */
    public Bundle allCapabilitySets(String... caps) {
        for (String set : List.of("bounding", "effective", "permitted", "inheritable", "ambient")) {
            capabilities(set, caps);
        }
        return this;
    }

    public Bundle rlimit(String type, long soft, long hard) {
        List<Object> rlimits = list(process(), "rlimits");
        rlimits.removeIf(r -> type.equals(((Map<?, ?>) r).get("type")));
        rlimits.add(obj("type", type, "hard", hard, "soft", soft));
        return this;
    }

    public Bundle noNewPrivileges(boolean on) {
        process().put("noNewPrivileges", on);
        return this;
    }

    public Bundle oomScoreAdj(int adj) {
        process().put("oomScoreAdj", (long) adj);
        return this;
    }

    // --- root, hostname, mounts ---

    public Bundle rootReadonly(boolean readonly) {
        map(spec, "root").put("readonly", readonly);
        return this;
    }

    public Bundle hostname(String hostname) {
        spec.put("hostname", hostname);
        return this;
    }

    public Bundle domainname(String domainname) {
        spec.put("domainname", domainname);
        return this;
    }

    public Bundle mount(String destination, String type, String source, String... options) {
        list(spec, "mounts").add(DefaultSpec.mount(destination, type, source, options));
        return this;
    }

    public Bundle bindMount(Path source, String destination, String... extraOptions) {
        List<String> options = new ArrayList<>(List.of("rbind"));
        options.addAll(List.of(extraOptions));
        return mount(destination, "bind", source.toString(), options.toArray(String[]::new));
    }

    public Bundle removeMount(String destination) {
        list(spec, "mounts").removeIf(m -> destination.equals(((Map<?, ?>) m).get("destination")));
        return this;
    }

    // --- linux ---

    public Bundle cgroupsPath(String path) {
        linux().put("cgroupsPath", path);
        return this;
    }

    /** Adds a namespace to create, or to join when {@code path} is not null. */
    public Bundle namespace(String type, String path) {
        withoutNamespace(type);
        Map<String, Object> ns = obj("type", type);
        if (path != null) {
            ns.put("path", path);
        }
        list(linux(), "namespaces").add(ns);
        return this;
    }

    public Bundle withoutNamespace(String type) {
        list(linux(), "namespaces").removeIf(n -> type.equals(((Map<?, ?>) n).get("type")));
        return this;
    }

    public Bundle uidMapping(long containerId, long hostId, long size) {
        list(linux(), "uidMappings").add(obj("containerID", containerId, "hostID", hostId, "size", size));
        return this;
    }

    public Bundle gidMapping(long containerId, long hostId, long size) {
        list(linux(), "gidMappings").add(obj("containerID", containerId, "hostID", hostId, "size", size));
        return this;
    }

    public Bundle memoryLimit(long bytes) {
        map(resources(), "memory").put("limit", bytes);
        return this;
    }

    public Bundle pidsLimit(long limit) {
        map(resources(), "pids").put("limit", limit);
        return this;
    }

    /** Adds a device node to create and allows it in the device cgroup. */
    public Bundle device(String path, String type, long major, long minor, int fileMode) {
        list(linux(), "devices").add(obj("path", path, "type", type, "major", major, "minor", minor,
                "fileMode", (long) fileMode, "uid", 0L, "gid", 0L));
        list(resources(), "devices").add(obj("allow", true, "type", type, "major", major, "minor", minor,
                "access", "rwm"));
        return this;
    }

    public Bundle maskedPaths(String... paths) {
        list(linux(), "maskedPaths").addAll(List.of(paths));
        return this;
    }

    public Bundle readonlyPaths(String... paths) {
        list(linux(), "readonlyPaths").addAll(List.of(paths));
        return this;
    }

    public Bundle sysctl(String key, String value) {
        map(linux(), "sysctl").put(key, value);
        return this;
    }

    public Bundle seccomp(Map<String, Object> profile) {
        linux().put("seccomp", profile);
        return this;
    }

    /** Appends a hook ({@code prestart}, {@code createRuntime}, …, {@code poststop}). */
    public Bundle hook(String phase, String path, String... args) {
        Map<String, Object> hook = obj("path", path);
        if (args.length > 0) {
            hook.put("args", arr((Object[]) args));
        }
        list(map(spec, "hooks"), phase).add(hook);
        return this;
    }

    // --- tree access ---

    public Map<String, Object> process() {
        return map(spec, "process");
    }

    public Map<String, Object> linux() {
        return map(spec, "linux");
    }

    public Map<String, Object> resources() {
        return map(linux(), "resources");
    }

    private Map<String, Object> user() {
        return map(process(), "user");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> obj());
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> parent, String key) {
        return (List<Object>) parent.computeIfAbsent(key, k -> arr());
    }
}
