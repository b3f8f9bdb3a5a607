package dev.berth.cli.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.client.CliException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a container's OCI runtime spec ({@code config.json}) as containerd's client does: the default Unix spec
 * (containerd {@code oci/spec.go} {@code populateDefaultUnixSpec}: namespaces, default mounts, capabilities, the
 * NOFILE rlimit, masked and read-only paths, cgroupsPath {@code /<namespace>/<id>}), then the image's config
 * ({@code spec_opts.go} {@code WithImageConfig}: env, args, cwd, user), then the run's options.
 *
 * <p>The network namespace is a private one with nothing but its loopback device: berthd has no networking yet,
 * and a container must not share the host's network by surprise.
 */
public final class RuntimeSpec {
    /** The Any type of a spec in a container record, as containerd writes it. */
    public static final String TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
    /** The Any type of an exec's process spec. */
    public static final String PROCESS_TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Process";
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/proc/scsi");
    private static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    private static final long CPU_PERIOD = 100_000;

    private final ObjectMapper json;

    public RuntimeSpec(ObjectMapper json) {
        this.json = json;
    }

    /** The spec of container {@code id} in {@code namespace} from image config {@code image} ({@code config.config}). */
    public ObjectNode build(String namespace, String id, JsonNode image, RunOptions options) {
        ObjectNode spec = json.createObjectNode();
        spec.put("ociVersion", "1.0.2-dev");
        spec.set("process", process(image, options));
        ObjectNode root = spec.putObject("root");
        root.put("path", "rootfs");
        if (options.readOnly()) {
            root.put("readonly", true);
        }
        String hostname = options.hostname().orElse(id.length() > 12 ? id.substring(0, 12) : id);
        spec.put("hostname", hostname);
        spec.set("mounts", mounts());
        spec.set("linux", linux(namespace, id, options));
        return spec;
    }

    private ObjectNode process(JsonNode image, RunOptions options) {
        ObjectNode process = json.createObjectNode();
        process.put("terminal", options.terminal());
        ObjectNode user = process.putObject("user");
        int[] ids = user(options.user().orElse(image.path("User").asText("")));
        user.put("uid", ids[0]);
        user.put("gid", ids[1]);
        process.set("args", strings(args(image, options)));
        process.set("env", strings(env(image, options)));
        String cwd = options.workdir().orElse(image.path("WorkingDir").asText(""));
        process.put("cwd", cwd.isEmpty() ? "/" : cwd);
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "permitted", "effective")) {
            caps.set(set, strings(CAPS));
        }
        ObjectNode nofile = process.putArray("rlimits").addObject();
        nofile.put("type", "RLIMIT_NOFILE");
        nofile.put("hard", 1024);
        nofile.put("soft", 1024);
        process.put("noNewPrivileges", true);
        return process;
    }

    /** WithImageConfig: Entrypoint + Cmd, where a run's command replaces Cmd and --entrypoint replaces both. */
    static List<String> args(JsonNode image, RunOptions options) {
        List<String> entrypoint = options.entrypoint().isPresent()
                ? (options.entrypoint().get().isEmpty() ? List.of() : List.of(options.entrypoint().get()))
                : texts(image.path("Entrypoint"));
        List<String> cmd = !options.command().isEmpty() ? options.command()
                : options.entrypoint().isPresent() ? List.of() : texts(image.path("Cmd"));
        List<String> args = new ArrayList<>(entrypoint);
        args.addAll(cmd);
        if (args.isEmpty()) {
            throw CliException.failed("No command specified");
        }
        return args;
    }

    /** PATH first, then the image's variables, then the run's; a later entry replaces an earlier one's value. */
    static List<String> env(JsonNode image, RunOptions options) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(List.of(DEFAULT_PATH));
        all.addAll(texts(image.path("Env")));
        all.addAll(options.env());
        for (String e : all) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), e);
        }
        return List.copyOf(env.values());
    }

    /**
     * {@code uid[:gid]} as numbers, or {@code root}. A user name would need the image's {@code /etc/passwd}, which
     * the client cannot read without mounting the rootfs; it is refused with that reason.
     */
    static int[] user(String user) {
        if (user.isEmpty() || user.equals("root") || user.equals("root:root")) {
            return new int[] {0, 0};
        }
        String[] parts = user.split(":", 2);
        try {
            int uid = Integer.parseInt(parts[0]);
            int gid = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
            return new int[] {uid, gid};
        } catch (NumberFormatException e) {
            throw CliException.failed("unable to find user " + user
                    + ": only numeric uid[:gid] and root are supported");
        }
    }

    private ArrayNode mounts() {
        ArrayNode mounts = json.createArrayNode();
        mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                "mode=0620", "gid=5");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(mounts, "/run", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        return mounts;
    }

    private void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        m.set("options", strings(List.of(options)));
    }

    private ObjectNode linux(String namespace, String id, RunOptions options) {
        ObjectNode linux = json.createObjectNode();
        linux.set("maskedPaths", strings(MASKED));
        linux.set("readonlyPaths", strings(READONLY));
        linux.put("cgroupsPath", "/" + namespace + "/" + id);
        ObjectNode resources = linux.putObject("resources");
        ObjectNode denyAll = resources.putArray("devices").addObject();
        denyAll.put("allow", false);
        denyAll.put("access", "rwm");
        options.memoryBytes().ifPresent(m -> resources.putObject("memory").put("limit", m));
        options.cpus().ifPresent(c -> {
            ObjectNode cpu = resources.putObject("cpu");
            cpu.put("quota", Math.round(c * CPU_PERIOD));
            cpu.put("period", CPU_PERIOD);
        });
        options.pidsLimit().ifPresent(p -> resources.putObject("pids").put("limit", p));
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount", "network")) {
            namespaces.addObject().put("type", type);
        }
        return linux;
    }

    private ArrayNode strings(List<String> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static List<String> texts(JsonNode array) {
        return array.isArray() ? array.valueStream().map(JsonNode::asText).toList() : List.of();
    }
}
