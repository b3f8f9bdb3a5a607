package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * docker's container configuration (the Docker API's {@code ContainerConfig}; {@code Config} in inspect). The
 * {@code config} of an OCI/docker image config has the same shape with fewer fields set, so the image's defaults
 * and the run's options are read as one type. {@code ExposedPorts} and {@code Volumes} are sets written as maps to
 * empty objects ({@code {"80/tcp": {}}}).
 */
public record ContainerConfig(
        @JsonProperty("Hostname") String hostname,
        @JsonProperty("Domainname") String domainname,
        @JsonProperty("User") String user,
        @JsonProperty("AttachStdin") Boolean attachStdin,
        @JsonProperty("AttachStdout") Boolean attachStdout,
        @JsonProperty("AttachStderr") Boolean attachStderr,
        @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
        @JsonProperty("Tty") Boolean tty,
        @JsonProperty("OpenStdin") Boolean openStdin,
        @JsonProperty("StdinOnce") Boolean stdinOnce,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Healthcheck") HealthConfig healthcheck,
        @JsonProperty("ArgsEscaped") Boolean argsEscaped,
        @JsonProperty("Image") String image,
        @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonProperty("Entrypoint") List<String> entrypoint,
        @JsonProperty("NetworkDisabled") Boolean networkDisabled,
        @JsonProperty("MacAddress") String macAddress,
        @JsonProperty("OnBuild") List<String> onBuild,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("StopSignal") String stopSignal,
        @JsonProperty("StopTimeout") Integer stopTimeout,
        @JsonProperty("Shell") List<String> shell) {

    /** A configuration with every field absent, to start a {@link Builder} from. */
    public static final ContainerConfig EMPTY = new Builder().build();

    public ContainerConfig {
        exposedPorts = Copies.setMap(exposedPorts);
        env = Copies.list(env);
        cmd = Copies.list(cmd);
        volumes = Copies.setMap(volumes);
        entrypoint = Copies.list(entrypoint);
        onBuild = Copies.list(onBuild);
        labels = Copies.map(labels);
        shell = Copies.list(shell);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder: each setter returns the builder; {@link #build} makes the record. */
    public static final class Builder {
        private String hostname;
        private String domainname;
        private String user;
        private Boolean attachStdin;
        private Boolean attachStdout;
        private Boolean attachStderr;
        private Map<String, Map<String, Object>> exposedPorts;
        private Boolean tty;
        private Boolean openStdin;
        private Boolean stdinOnce;
        private List<String> env;
        private List<String> cmd;
        private HealthConfig healthcheck;
        private Boolean argsEscaped;
        private String image;
        private Map<String, Map<String, Object>> volumes;
        private String workingDir;
        private List<String> entrypoint;
        private Boolean networkDisabled;
        private String macAddress;
        private List<String> onBuild;
        private Map<String, String> labels;
        private String stopSignal;
        private Integer stopTimeout;
        private List<String> shell;

        public Builder() {
        }

        Builder(ContainerConfig c) {
            hostname = c.hostname;
            domainname = c.domainname;
            user = c.user;
            attachStdin = c.attachStdin;
            attachStdout = c.attachStdout;
            attachStderr = c.attachStderr;
            exposedPorts = c.exposedPorts;
            tty = c.tty;
            openStdin = c.openStdin;
            stdinOnce = c.stdinOnce;
            env = c.env;
            cmd = c.cmd;
            healthcheck = c.healthcheck;
            argsEscaped = c.argsEscaped;
            image = c.image;
            volumes = c.volumes;
            workingDir = c.workingDir;
            entrypoint = c.entrypoint;
            networkDisabled = c.networkDisabled;
            macAddress = c.macAddress;
            onBuild = c.onBuild;
            labels = c.labels;
            stopSignal = c.stopSignal;
            stopTimeout = c.stopTimeout;
            shell = c.shell;
        }

        public Builder hostname(String v) { hostname = v; return this; }
        public Builder domainname(String v) { domainname = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder attachStdin(Boolean v) { attachStdin = v; return this; }
        public Builder attachStdout(Boolean v) { attachStdout = v; return this; }
        public Builder attachStderr(Boolean v) { attachStderr = v; return this; }
        public Builder exposedPorts(Map<String, Map<String, Object>> v) { exposedPorts = v; return this; }
        public Builder tty(Boolean v) { tty = v; return this; }
        public Builder openStdin(Boolean v) { openStdin = v; return this; }
        public Builder stdinOnce(Boolean v) { stdinOnce = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder cmd(List<String> v) { cmd = v; return this; }
        public Builder healthcheck(HealthConfig v) { healthcheck = v; return this; }
        public Builder argsEscaped(Boolean v) { argsEscaped = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder volumes(Map<String, Map<String, Object>> v) { volumes = v; return this; }
        public Builder workingDir(String v) { workingDir = v; return this; }
        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
        public Builder networkDisabled(Boolean v) { networkDisabled = v; return this; }
        public Builder macAddress(String v) { macAddress = v; return this; }
        public Builder onBuild(List<String> v) { onBuild = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder stopTimeout(Integer v) { stopTimeout = v; return this; }
        public Builder shell(List<String> v) { shell = v; return this; }

        public ContainerConfig build() {
            return new ContainerConfig(hostname, domainname, user, attachStdin, attachStdout, attachStderr,
                    exposedPorts, tty, openStdin, stdinOnce, env, cmd, healthcheck, argsEscaped, image, volumes,
                    workingDir, entrypoint, networkDisabled, macAddress, onBuild, labels, stopSignal, stopTimeout,
                    shell);
        }
    }
}
