package dev.berth.manager.engine.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.engine.volume.ContainerMount;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a container's OCI runtime spec as dockerd does: moby's default Linux spec ({@code oci/defaults.go}:
 * namespaces, default mounts, masked and read-only paths, the device allow list), docker's default capabilities
 * and seccomp profile, the merged image and run configuration (args, env, cwd, user from the image's passwd and
 * group files) and every security and resource option of the host configuration.
 *
 * <p>The network namespace is a private one with only its loopback device until the container joins a network:
 * a container must not share the host's network by surprise.
 */
public final class SpecBuilder {
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** docker's default {@code --shm-size}: 64 MB. */
    static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;
    /** moby's masked paths ({@code oci/defaults.go}). */
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    /** moby's read-only paths. */
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    /** Where docker mounts its init, and what it prepends to the args. */
    static final String INIT_PATH = "/sbin/docker-init";
    /** The {@code --init} program's file name on the host, next to berth-init. */
    public static final String INIT_NAME = "berth-docker-init";
    /** The system property naming the {@code --init} program's path. */
    public static final String INIT_PROPERTY = "berth.docker-init";
    private static final int HOSTNAME_LENGTH = 12;

    private final Optional<Path> initBinary;
    private final HostFacts host;
    private final ObjectMapper json = DockerJson.mapper();
    /**
     * docker's default profile, read at the first container that needs it: reading it (Jackson's first parse) took
     * a tenth of berthd's start, on the way to serving, where nothing needs it.
     */
    private volatile SeccompProfile defaultSeccomp;

    /** @param initBinary the {@code --init} program on the host, if it was built */
    public SpecBuilder(Optional<Path> initBinary) {
        this(initBinary, HostFacts.system());
    }

    SpecBuilder(Optional<Path> initBinary, HostFacts host) {
        this.initBinary = initBinary;
        this.host = host;
    }

    /** The default profile; two first callers at once both read it, which gives the same profile. */
    private SeccompProfile defaultSeccomp() {
        SeccompProfile p = defaultSeccomp;
        if (p == null) {
            p = SeccompProfile.defaultProfile(json);
            defaultSeccomp = p;
        }
        return p;
    }

    /**
     * The {@code --init} program berthd's launcher names in the system property {@code berth.docker-init}
     * ({@code bin/berthd}: beside berth-init in the runtime's build directory), if it is there and executable.
     */
    public static Optional<Path> installedInit() {
        return Optional.ofNullable(System.getProperty(INIT_PROPERTY)).map(Path::of).filter(Files::isExecutable);
    }

    /**
     * docker's merge: the image's config under the run's. An entrypoint given replaces the image's and clears the
     * image's Cmd unless a Cmd is given too; Env merges by name with the run's winning; Labels, ExposedPorts and
     * Volumes merge; User, WorkingDir, StopSignal, Shell and Healthcheck are inherited unless set.
     */
    public static ContainerConfig merge(ContainerConfig image, ContainerConfig run) {
        return ConfigMerge.merge(image, run);
    }

    /**
     * The resource limits of {@code host} as the spec's {@code linux.resources} (memory, cpu, pids, blockIO; no
     * device rules), with the checks {@link #build} makes: what {@code docker update} changes in a spec and sends to
     * a running task.
     */
    public static ObjectNode resources(HostConfig host) {
        ObjectNode resources = DockerJson.mapper().createObjectNode();
        Resources.apply(host, resources);
        return resources;
    }

    /**
     * docker's {@code user[:group]} of an exec (moby {@code getUser}): names looked up in {@code rootfs}'s
     * {@code /etc/passwd} and {@code /etc/group}, numbers as they are, the user's groups and the container's
     * {@code groupAdd} as additional groups; INVALID_ARGUMENT "unable to find user NAME: no matching entries in
     * passwd file" for an unknown name.
     */
    public static ExecUser user(Path rootfs, String user, List<String> groupAdd) {
        return new Users(new RootfsFiles(rootfs)).resolve(user, groupAdd);
    }

    /**
     * The OCI runtime spec ({@code config.json}) of {@code request}'s container; writes its hostname, hosts and
     * resolv.conf files into the request's container directory and, as docker, creates its working directory in the
     * rootfs when the image lacks it. A bad option or an unknown user is an
     * INVALID_ARGUMENT naming it.
     */
    public byte[] build(SpecRequest request) {
        ContainerConfig config = request.config();
        HostConfig hostConfig = request.host();
        boolean privileged = Boolean.TRUE.equals(hostConfig.privileged());
        String hostname = ConfigMerge.blank(config.hostname())
                ? request.id().substring(0, Math.min(HOSTNAME_LENGTH, request.id().length())) : config.hostname();
        RootfsFiles files = new RootfsFiles(request.rootfs());
        ExecUser user = new Users(files).resolve(config.user(), hostConfig.groupAdd());
        boolean workingDir = !ConfigMerge.blank(config.workingDir());
        if (workingDir && !config.workingDir().startsWith("/")) {
            throw BerthException.invalidArgument("invalid working directory " + config.workingDir()
                    + ": it needs to be an absolute path");
        }
        SecurityOptions security = SecurityOptions.parse(list(hostConfig.securityOpt()));
        List<String> caps = Capabilities.effective(privileged, hostConfig.capAdd(), hostConfig.capDrop(),
                host.capabilities());
        Optional<Path> init = init(hostConfig);

        ObjectNode spec = json.createObjectNode();
        spec.put("ociVersion", "1.0.2-dev");
        spec.set("process", process(config, hostConfig, hostname, user, caps, security, init.isPresent()));
        ObjectNode root = spec.putObject("root");
        root.put("path", "rootfs");
        root.put("readonly", Boolean.TRUE.equals(hostConfig.readonlyRootfs()));
        Namespaces namespaces = Namespaces.of(hostConfig);
        if (!namespaces.hostUts()) {
            spec.put("hostname", hostname);
        }
        if (!namespaces.hostUts() && !ConfigMerge.blank(config.domainname())) {
            spec.put("domainname", config.domainname());
        }
        Map<String, String> etcFiles = new EtcFiles(host.resolvConf()).contents(hostname, config.domainname(),
                list(hostConfig.extraHosts()), list(hostConfig.dns()), list(hostConfig.dnsSearch()),
                list(hostConfig.dnsOptions()));
        ArrayNode mounts = mounts(request, privileged, namespaces.hostIpc());
        init.ifPresent(path -> mounts.add(mount(INIT_PATH, "bind", path.toString(), List.of("rbind", "ro"))));
        spec.set("mounts", mounts);
        spec.set("linux", linux(request, privileged, caps, security, namespaces));
        // Every option is valid: only now does the build leave anything behind.
        if (workingDir) {
            files.createDirectory(config.workingDir(), "working directory");
        }
        EtcFiles.write(request.containerDir(), etcFiles);
        return DockerJson.write(spec);
    }

    private ObjectNode process(ContainerConfig config, HostConfig hostConfig, String hostname, ExecUser user,
                               List<String> caps, SecurityOptions security, boolean init) {
        ObjectNode process = json.createObjectNode();
        process.put("terminal", Boolean.TRUE.equals(config.tty()));
        ObjectNode u = process.putObject("user");
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        if (!user.additionalGids().isEmpty()) {
            ArrayNode gids = u.putArray("additionalGids");
            user.additionalGids().forEach(gids::add);
        }
        List<String> args = new ArrayList<>(args(config));
        if (init) {
            args.addAll(0, List.of(INIT_PATH, "--"));
        }
        process.set("args", strings(args));
        process.set("env", strings(env(config, hostname, user)));
        process.put("cwd", ConfigMerge.blank(config.workingDir()) ? "/" : config.workingDir());
        ObjectNode capabilities = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            capabilities.set(set, strings(caps));
        }
        Resources.rlimits(list(hostConfig.ulimits()), process);
        if (security.noNewPrivileges()) {
            process.put("noNewPrivileges", true);
        }
        if (hostConfig.oomScoreAdj() != null && hostConfig.oomScoreAdj() != 0) {
            if (hostConfig.oomScoreAdj() < -1000 || hostConfig.oomScoreAdj() > 1000) {
                throw BerthException.invalidArgument("invalid --oom-score-adj " + hostConfig.oomScoreAdj()
                        + ": valid range is -1000 to 1000");
            }
            process.put("oomScoreAdj", Math.max(hostConfig.oomScoreAdj(), host.oomScoreAdj()));
        }
        return process;
    }

    /** Entrypoint followed by Cmd; neither is "No command specified", docker's words. */
    static List<String> args(ContainerConfig config) {
        List<String> args = new ArrayList<>(list(config.entrypoint()));
        args.addAll(list(config.cmd()));
        if (args.size() == 1 && args.getFirst().isEmpty() || args.isEmpty()) {
            throw BerthException.invalidArgument("create container: no command specified");
        }
        return args;
    }

    /**
     * moby's {@code CreateDaemonEnvironment}: PATH and HOSTNAME, TERM for a terminal, then the configuration's
     * variables, a later one replacing an earlier one of the same name; HOME from passwd unless set.
     */
    static List<String> env(ContainerConfig config, String hostname, ExecUser user) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(List.of(DEFAULT_PATH, "HOSTNAME=" + hostname));
        if (Boolean.TRUE.equals(config.tty())) {
            all.add("TERM=xterm");
        }
        all.addAll(list(config.env()));
        for (String variable : all) {
            env.put(ConfigMerge.envKey(variable), variable);
        }
        env.putIfAbsent("HOME", "HOME=" + user.home());
        return List.copyOf(env.values());
    }

    private ArrayNode mounts(SpecRequest request, boolean privileged, boolean hostIpc) {
        HostConfig hostConfig = request.host();
        List<String> userDestinations = request.mounts().stream().map(ContainerMount::destination)
                .map(SpecBuilder::clean).toList();
        String sysMode = privileged ? "rw" : "ro";
        long shmSize = hostConfig.shmSize() == null || hostConfig.shmSize() == 0 ? DEFAULT_SHM_SIZE
                : hostConfig.shmSize();
        List<ObjectNode> defaults = List.of(
                mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysMode)),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of(sysMode, "nosuid", "noexec", "nodev")),
                mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                hostIpc ? mount("/dev/shm", "bind", "/dev/shm", List.of("rbind", "rprivate"))
                        : mount("/dev/shm", "tmpfs", "shm",
                                List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shmSize)));
        ArrayNode mounts = json.createArrayNode();
        for (ObjectNode m : defaults) {
            if (!userDestinations.contains(m.get("destination").asText())) {
                mounts.add(m);
            }
        }
        List<ContainerMount> sorted = new ArrayList<>(request.mounts());
        sorted.sort((a, b) -> Integer.compare(depth(a.destination()), depth(b.destination())));
        for (ContainerMount m : sorted) {
            String type = m.type().equals("tmpfs") ? "tmpfs" : "bind";
            String source = m.type().equals("tmpfs") ? "tmpfs" : m.source();
            mounts.add(mount(clean(m.destination()), type, source, m.ociOptions()));
        }
        List<String> etcOptions = new ArrayList<>(List.of("rbind", "rprivate"));
        if (Boolean.TRUE.equals(hostConfig.readonlyRootfs())) {
            etcOptions.add("ro");
        }
        for (String file : List.of(EtcFiles.RESOLV_CONF, EtcFiles.HOSTNAME, EtcFiles.HOSTS)) {
            String destination = "/etc/" + file;
            if (!userDestinations.contains(destination)) {
                mounts.add(mount(destination, "bind", request.containerDir().resolve(file).toString(), etcOptions));
            }
        }
        return mounts;
    }

    /** The number of components of a destination: docker mounts parents before their children. */
    static int depth(String destination) {
        return (int) clean(destination).chars().filter(c -> c == '/').count();
    }

    static String clean(String path) {
        String p = Path.of("/").resolve(path).normalize().toString();
        return p.isEmpty() ? "/" : p;
    }

    private ObjectNode mount(String destination, String type, String source, List<String> options) {
        ObjectNode m = json.createObjectNode();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        m.set("options", strings(options));
        return m;
    }

    private ObjectNode linux(SpecRequest request, boolean privileged, List<String> caps, SecurityOptions security,
                             Namespaces namespaces) {
        HostConfig hostConfig = request.host();
        ObjectNode linux = json.createObjectNode();
        if (!privileged && !security.unconfinedPaths()) {
            linux.set("maskedPaths", strings(hostConfig.maskedPaths() != null ? hostConfig.maskedPaths()
                    : MASKED_PATHS));
            linux.set("readonlyPaths", strings(hostConfig.readonlyPaths() != null ? hostConfig.readonlyPaths()
                    : READONLY_PATHS));
        }
        String parent = ConfigMerge.blank(hostConfig.cgroupParent()) ? "/" + request.namespace()
                : hostConfig.cgroupParent();
        linux.put("cgroupsPath", (parent.startsWith("/") ? parent : "/" + parent) + "/" + request.id());
        ObjectNode resources = linux.putObject("resources");
        ArrayNode cgroupDevices = resources.putArray("devices");
        ArrayNode devices = json.createArrayNode();
        if (privileged) {
            cgroupDevices.addObject().put("allow", true).put("access", "rwm");
            Devices.write(Devices.walk(host.devDir()), devices, json.createArrayNode());
        } else {
            cgroupDevices.addObject().put("allow", false).put("access", "rwm");
            defaultDeviceRules(cgroupDevices);
        }
        Devices.write(Devices.mapped(list(hostConfig.devices())), devices, cgroupDevices);
        if (!devices.isEmpty()) {
            linux.set("devices", devices);
        }
        Resources.apply(hostConfig, resources);
        Resources.sysctls(hostConfig.sysctls() == null ? Map.of() : hostConfig.sysctls(), namespaces.hostIpc(),
                namespaces.hostNetwork(), linux);
        ArrayNode ns = linux.putArray("namespaces");
        for (String type : namespaces.types()) {
            ObjectNode entry = ns.addObject().put("type", type);
            if (type.equals("network")) {
                request.networkNamespace().ifPresent(path -> entry.put("path", path.toString()));
            }
        }
        if (!privileged && !security.seccomp().filter(SecurityOptions.UNCONFINED::equals).isPresent()) {
            SeccompProfile profile = security.seccomp().map(p -> SeccompProfile.parse(json, p))
                    .orElseGet(this::defaultSeccomp);
            linux.set("seccomp", profile.toOci(json, caps, SeccompProfile.goArch(System.getProperty("os.arch"))));
        }
        return linux;
    }

    /** The {@code --init} program, bind-mounted at docker's path; an error when it was not built. */
    private Optional<Path> init(HostConfig hostConfig) {
        if (!Boolean.TRUE.equals(hostConfig.init())) {
            return Optional.empty();
        }
        return Optional.of(initBinary.orElseThrow(() -> BerthException.failedPrecondition(
                "--init: the init program " + INIT_NAME + " is not installed next to berth-init")));
    }

    /** runc's and moby's default device allow list: mknod of any device, the standard character devices, ptys. */
    private static void defaultDeviceRules(ArrayNode devices) {
        devices.addObject().put("allow", true).put("type", "c").put("access", "m");
        devices.addObject().put("allow", true).put("type", "b").put("access", "m");
        long[][] chars = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}};
        for (long[] c : chars) {
            devices.addObject().put("allow", true).put("type", "c").put("major", c[0]).put("minor", c[1])
                    .put("access", "rwm");
        }
        devices.addObject().put("allow", true).put("type", "c").put("major", 136).put("access", "rwm");
    }

    private ArrayNode strings(List<String> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
