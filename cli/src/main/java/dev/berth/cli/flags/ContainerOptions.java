package dev.berth.cli.flags;

import dev.berth.cli.client.CliException;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DeviceMapping;
import dev.berth.model.EndpointSettings;
import dev.berth.model.HealthConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.LogConfig;
import dev.berth.model.NetworkingConfig;
import dev.berth.model.RestartPolicy;
import dev.berth.model.Ulimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code run}/{@code create} flags as docker's CLI sends them: the {@code ContainerConfig} and
 * {@code HostConfig} records (docker's {@code opts.parse}), with docker's client-side errors.
 */
public final class ContainerOptions {
    /** What a create sends. */
    public record Spec(String name, ContainerConfig config, HostConfig host, NetworkingConfig networking) {
        public Spec(String name, ContainerConfig config, HostConfig host) {
            this(name, config, host, NetworkingConfig.EMPTY);
        }
    }

    private ContainerOptions() {
    }

    /**
     * @param image the image as typed
     * @param command the arguments after the image (empty: the image's)
     * @param environment the CLI's environment, which {@code -e K} and env files take K's value from
     */
    public static Spec parse(RunFlags f, String image, List<String> command, Map<String, String> environment) {
        f.check();
        Ports ports = Ports.parse(f.publish, f.expose);
        Map<String, Map<String, Object>> anonymous = new LinkedHashMap<>();
        List<String> binds = new ArrayList<>();
        for (String v : f.volumes) {
            if (v.isEmpty()) {
                throw Units.invalid("-v, --volume", v, "bad format for path: " + v);
            }
            // docker: a spec with a source (a host path or a volume name) is a bind; a lone path an anonymous volume
            if (v.split(":").length > 1) {
                binds.add(v);
            } else {
                anonymous.put(v, Map.of());
            }
        }
        boolean attached = !f.detach;
        ContainerConfig config = new ContainerConfig.Builder()
                .image(image)
                .cmd(command.isEmpty() ? null : List.copyOf(command))
                .entrypoint(f.entrypoint == null ? null : List.of(f.entrypoint))
                .env(nonEmpty(env(f, environment)))
                .labels(labels(f))
                .workingDir(f.workdir)
                .user(f.user)
                .hostname(f.hostname)
                .domainname(f.domainname)
                .tty(f.tty ? true : null)
                .openStdin(f.interactive ? true : null)
                .attachStdin(attached && f.interactive ? true : null)
                .attachStdout(attached ? true : null)
                .attachStderr(attached ? true : null)
                .stdinOnce(attached && f.interactive ? true : null)
                .stopSignal(f.stopSignal)
                .stopTimeout(f.stopTimeout)
                .healthcheck(health(f))
                .exposedPorts(ports.exposed().isEmpty() ? null : ports.exposed())
                .volumes(anonymous.isEmpty() ? null : anonymous)
                .build();
        HostConfig host = new HostConfig.Builder()
                .autoRemove(f.rm ? true : null)
                .binds(nonEmpty(binds))
                .mounts(nonEmpty(f.mounts.stream().map(MountSpec::parse).toList()))
                .tmpfs(f.tmpfs.isEmpty() ? null : tmpfs(f.tmpfs))
                .volumesFrom(nonEmpty(f.volumesFrom))
                .restartPolicy(f.restart == null ? null : restart(f.restart))
                .logConfig(f.logDriver == null && f.logOpts.isEmpty() ? null
                        : new LogConfig(f.logDriver == null ? "" : f.logDriver,
                                f.logOpts.isEmpty() ? null : keyValues("--log-opt", f.logOpts)))
                .groupAdd(nonEmpty(f.groupAdd))
                .init(f.init ? true : null)
                .ulimits(nonEmpty(f.ulimits.stream().map(ContainerOptions::ulimit).toList()))
                .shmSize(f.shmSize == null ? null : Units.bytes("--shm-size", f.shmSize))
                .devices(nonEmpty(f.devices.stream().map(ContainerOptions::device).toList()))
                .capAdd(nonEmpty(f.capAdd))
                .capDrop(nonEmpty(f.capDrop))
                .privileged(f.privileged ? true : null)
                .securityOpt(nonEmpty(f.securityOpt.stream().map(ContainerOptions::securityOpt).toList()))
                .readonlyRootfs(f.readOnly ? true : null)
                .memory(f.memory == null ? null : Units.bytes("-m, --memory", f.memory))
                .memorySwap(f.memorySwap == null ? null : Units.bytesOrUnlimited("--memory-swap", f.memorySwap))
                .nanoCpus(f.cpus == null ? null : Math.round(f.cpus * 1e9))
                .cpuShares(f.cpuShares)
                .cpusetCpus(f.cpusetCpus)
                .pidsLimit(f.pidsLimit)
                .oomKillDisable(f.oomKillDisable ? true : null)
                .sysctls(f.sysctls.isEmpty() ? null : keyValues("--sysctl", f.sysctls))
                .portBindings(ports.bindings().isEmpty() ? null : ports.bindings())
                .publishAllPorts(f.publishAll ? true : null)
                .networkMode(f.network)
                .dns(nonEmpty(f.dns))
                .extraHosts(nonEmpty(f.addHost))
                .build();
        return new Spec(f.name, config, host, networking(f));
    }

    /** docker's {@code --network-alias} and {@code --ip}: the endpoint asked for on the {@code --network}. */
    static NetworkingConfig networking(RunFlags f) {
        if (f.networkAliases.isEmpty() && (f.ip == null || f.ip.isEmpty())) {
            return NetworkingConfig.EMPTY;
        }
        String network = f.network == null || f.network.isEmpty() || f.network.equals("default") ? "bridge"
                : f.network;
        return new NetworkingConfig(Map.of(network, EndpointSettings.request(List.copyOf(f.networkAliases),
                f.ip == null || f.ip.isEmpty() ? null : f.ip)));
    }

    private static <T> List<T> nonEmpty(List<T> l) {
        return l.isEmpty() ? null : List.copyOf(l);
    }

    /** docker: env files first, then {@code -e}; {@code K} alone takes K from the CLI's environment, if set. */
    static List<String> env(RunFlags f, Map<String, String> environment) {
        List<String> out = new ArrayList<>();
        for (Path file : f.envFiles) {
            for (String line : lines("--env-file", file)) {
                addEnv(out, line, environment);
            }
        }
        for (String e : f.env) {
            addEnv(out, e, environment);
        }
        return out;
    }

    private static void addEnv(List<String> out, String e, Map<String, String> environment) {
        if (e.contains("=")) {
            if (e.startsWith("=")) {
                throw CliException.failed("invalid environment variable: " + e);
            }
            out.add(e);
        } else if (environment.containsKey(e)) {
            out.add(e + "=" + environment.get(e));
        }
    }

    private static Map<String, String> labels(RunFlags f) {
        List<String> all = new ArrayList<>();
        for (Path file : f.labelFiles) {
            all.addAll(lines("--label-file", file));
        }
        all.addAll(f.labels);
        return all.isEmpty() ? null : labels(all);
    }

    /** docker's {@code --label k=v} (a bare {@code k} is an empty value), in order. */
    public static Map<String, String> labels(List<String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            out.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        return out;
    }

    /** docker's env and label files: one entry a line, blank lines and {@code #} comments skipped. */
    private static List<String> lines(String flag, Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::stripLeading)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw CliException.failed("open " + file + ": no such file or directory");
        }
    }

    /** {@code k=v} values of {@code flag} as a map (docker: a value without {@code =} is refused). */
    public static Map<String, String> keyValues(String flag, List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw Units.invalid(flag, v, "invalid key=value: " + v);
            }
            out.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return out;
    }

    private static Map<String, String> tmpfs(List<String> specs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : specs) {
            int colon = t.indexOf(':');
            out.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
        }
        return out;
    }

    /** docker: {@code --no-healthcheck} is {@code ["NONE"]}; the other flags override the image's settings. */
    static HealthConfig health(RunFlags f) {
        if (f.noHealthcheck) {
            return new HealthConfig(List.of("NONE"), null, null, null, null);
        }
        if (f.healthCmd == null && f.healthInterval == null && f.healthRetries == null && f.healthTimeout == null
                && f.healthStartPeriod == null) {
            return null;
        }
        if (f.healthRetries != null && f.healthRetries < 0) {
            throw CliException.failed("--health-retries cannot be negative");
        }
        return new HealthConfig(f.healthCmd == null ? null : List.of("CMD-SHELL", f.healthCmd),
                nanos("--health-interval", f.healthInterval), nanos("--health-timeout", f.healthTimeout),
                nanos("--health-start-period", f.healthStartPeriod), f.healthRetries);
    }

    private static Long nanos(String flag, String value) {
        if (value == null) {
            return null;
        }
        long n = Units.duration(flag, value).toNanos();
        if (n < 0) {
            throw CliException.failed(flag.substring(2) + " cannot be negative");
        }
        return n;
    }

    /** {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure[:N]}. */
    public static RestartPolicy restart(String value) {
        String[] parts = value.split(":", 2);
        String name = parts[0];
        if (!List.of("no", "always", "unless-stopped", "on-failure").contains(name)) {
            throw Units.invalid("--restart", value, "invalid restart policy " + name);
        }
        if (parts.length == 2) {
            if (!name.equals("on-failure")) {
                throw Units.invalid("--restart", value, "maximum retry count cannot be used with restart policy '"
                        + name + "'");
            }
            try {
                return new RestartPolicy(name, Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw Units.invalid("--restart", value, "maximum retry count must be an integer");
            }
        }
        return new RestartPolicy(name, 0);
    }

    /** {@code name=soft[:hard]}; hard defaults to soft. */
    static Ulimit ulimit(String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
            throw Units.invalid("--ulimit", value, "invalid ulimit argument: " + value);
        }
        String[] limits = value.substring(eq + 1).split(":", 2);
        try {
            long soft = Long.parseLong(limits[0]);
            long hard = limits.length == 2 ? Long.parseLong(limits[1]) : soft;
            if (soft > hard) {
                throw Units.invalid("--ulimit", value, "ulimit soft limit must be less than or equal to hard "
                        + "limit: " + soft + " > " + hard);
            }
            return new Ulimit(value.substring(0, eq), soft, hard);
        } catch (NumberFormatException e) {
            throw Units.invalid("--ulimit", value, "invalid ulimit argument: " + value);
        }
    }

    /** {@code src[:dst][:permissions]}, permissions a subset of {@code rwm} (default {@code rwm}). */
    static DeviceMapping device(String value) {
        String[] p = value.split(":");
        String src = p[0];
        String dst = src;
        String perms = "rwm";
        if (p.length == 2) {
            if (p[1].matches("[rwm]{1,3}")) {
                perms = p[1];
            } else {
                dst = p[1];
            }
        } else if (p.length == 3) {
            if (!p[2].matches("[rwm]{1,3}")) {
                throw Units.invalid("--device", value, "bad mode specified: " + p[2]);
            }
            dst = p[1];
            perms = p[2];
        } else if (p.length > 3 || src.isEmpty()) {
            throw Units.invalid("--device", value, "bad format for path: " + value);
        }
        return new DeviceMapping(src, dst, perms);
    }

    /**
     * As docker's CLI: {@code seccomp=FILE} is sent as the profile's JSON (the daemon reads no client file);
     * {@code seccomp=unconfined} and the other options as they are. The old {@code key:value} form is accepted.
     */
    static String securityOpt(String value) {
        String v = value;
        if (!v.contains("=") && v.contains(":")) {
            v = v.replaceFirst(":", "=");
        }
        if (v.startsWith("seccomp=") && !v.equals("seccomp=unconfined")) {
            Path file = Path.of(v.substring("seccomp=".length()));
            try {
                return "seccomp=" + dev.berth.model.DockerJson.mapper().readTree(Files.readAllBytes(file)).toString();
            } catch (IOException e) {
                throw CliException.failed("opening seccomp profile (" + file + ") failed: " + e.getMessage());
            }
        }
        return v;
    }
}
