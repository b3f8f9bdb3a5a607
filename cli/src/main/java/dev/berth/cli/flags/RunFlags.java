package dev.berth.cli.flags;

import dev.berth.cli.client.CliException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * docker's flags of {@code run} and {@code create}, as a picocli mixin; {@link ContainerOptions} turns them into
 * docker's {@code ContainerConfig} and {@code HostConfig}. The CLI only parses: every rule about what the values
 * mean is berthd's engine's.
 */
public final class RunFlags {
    @Option(names = "--name", description = "Assign a name to the container")
    public String name;
    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    public boolean detach;
    @Option(names = "--rm", description = "Automatically remove the container when it exits")
    public boolean rm;
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    public boolean interactive;
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    public boolean tty;
    @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container")
    public String detachKeys;
    @Option(names = "--sig-proxy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Proxy received signals to the process (default true)")
    public boolean sigProxy;

    @Option(names = {"-e", "--env"}, description = "Set environment variables")
    List<String> env = new ArrayList<>();
    @Option(names = "--env-file", description = "Read in a file of environment variables")
    List<Path> envFiles = new ArrayList<>();
    @Option(names = {"-l", "--label"}, description = "Set meta data on a container")
    List<String> labels = new ArrayList<>();
    @Option(names = "--label-file", description = "Read in a line delimited file of labels")
    List<Path> labelFiles = new ArrayList<>();
    @Option(names = "--entrypoint", description = "Overwrite the default ENTRYPOINT of the image")
    String entrypoint;
    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
    String workdir;
    @Option(names = {"-u", "--user"}, description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user;
    @Option(names = "--group-add", description = "Add additional groups to join")
    List<String> groupAdd = new ArrayList<>();
    @Option(names = {"-h", "--hostname"}, description = "Container host name")
    String hostname;
    @Option(names = "--domainname", description = "Container NIS domain name")
    String domainname;
    @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps "
            + "processes")
    boolean init;
    @Option(names = "--stop-signal", description = "Signal to stop a container (default \"SIGTERM\")")
    String stopSignal;
    @Option(names = "--stop-timeout", description = "Timeout (in seconds) to stop a container")
    Integer stopTimeout;
    @Option(names = "--ulimit", description = "Ulimit options (name=soft[:hard])")
    List<String> ulimits = new ArrayList<>();
    @Option(names = "--shm-size", description = "Size of /dev/shm")
    String shmSize;
    @Option(names = "--device", description = "Add a host device to the container")
    List<String> devices = new ArrayList<>();
    @Option(names = "--cap-add", description = "Add Linux capabilities")
    List<String> capAdd = new ArrayList<>();
    @Option(names = "--cap-drop", description = "Drop Linux capabilities")
    List<String> capDrop = new ArrayList<>();
    @Option(names = "--privileged", description = "Give extended privileges to this container")
    boolean privileged;
    @Option(names = "--security-opt", description = "Security Options")
    List<String> securityOpt = new ArrayList<>();
    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
    boolean readOnly;
    @Option(names = {"-m", "--memory"}, description = "Memory limit")
    String memory;
    @Option(names = "--memory-swap", description = "Swap limit equal to memory plus swap: '-1' to enable "
            + "unlimited swap")
    String memorySwap;
    @Option(names = "--cpus", description = "Number of CPUs")
    Double cpus;
    @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight)")
    Long cpuShares;
    @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;
    @Option(names = "--pids-limit", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;
    @Option(names = "--oom-kill-disable", description = "Disable OOM Killer")
    boolean oomKillDisable;
    @Option(names = "--sysctl", description = "Sysctl options")
    List<String> sysctls = new ArrayList<>();
    @Option(names = "--health-cmd", description = "Command to run to check health")
    String healthCmd;
    @Option(names = "--health-interval", description = "Time between running the check (ms|s|m|h) (default 0s)")
    String healthInterval;
    @Option(names = "--health-retries", description = "Consecutive failures needed to report unhealthy")
    Integer healthRetries;
    @Option(names = "--health-timeout", description = "Maximum time to allow one check to run (ms|s|m|h) "
            + "(default 0s)")
    String healthTimeout;
    @Option(names = "--health-start-period", description = "Start period for the container to initialize before "
            + "starting health-retries countdown (ms|s|m|h) (default 0s)")
    String healthStartPeriod;
    @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK")
    boolean noHealthcheck;
    @Option(names = "--restart", description = "Restart policy to apply when a container exits (default \"no\")")
    String restart;
    @Option(names = {"-v", "--volume"}, description = "Bind mount a volume")
    List<String> volumes = new ArrayList<>();
    @Option(names = "--mount", description = "Attach a filesystem mount to the container")
    List<String> mounts = new ArrayList<>();
    @Option(names = "--tmpfs", description = "Mount a tmpfs directory")
    List<String> tmpfs = new ArrayList<>();
    @Option(names = "--volumes-from", description = "Mount volumes from the specified container(s)")
    List<String> volumesFrom = new ArrayList<>();
    @Option(names = "--log-driver", description = "Logging driver for the container")
    String logDriver;
    @Option(names = "--log-opt", description = "Log driver options")
    List<String> logOpts = new ArrayList<>();
    @Option(names = {"-p", "--publish"}, description = "Publish a container's port(s) to the host")
    List<String> publish = new ArrayList<>();
    @Option(names = "--expose", description = "Expose a port or a range of ports")
    List<String> expose = new ArrayList<>();
    @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to random ports")
    boolean publishAll;
    @Option(names = {"--network", "--net"}, description = "Connect a container to a network")
    String network;
    @Option(names = {"--network-alias", "--net-alias"}, description = "Add network-scoped alias for the container")
    List<String> networkAliases = new ArrayList<>();
    @Option(names = "--ip", description = "IPv4 address (e.g., 172.30.100.104)")
    String ip;
    @Option(names = "--dns", description = "Set custom DNS servers")
    List<String> dns = new ArrayList<>();
    @Option(names = "--add-host", description = "Add a custom host-to-IP mapping (host:ip)")
    List<String> addHost = new ArrayList<>();

    /** docker's one client-side check: {@code --rm} and a restart policy contradict each other. */
    void check() {
        if (rm && restart != null && !restart.equals("no") && !restart.isEmpty()) {
            throw CliException.failed("Conflicting options: --restart and --rm");
        }
        if (noHealthcheck && (healthCmd != null || healthInterval != null || healthRetries != null
                || healthTimeout != null || healthStartPeriod != null)) {
            throw CliException.failed("--no-healthcheck conflicts with --health-* options");
        }
    }
}
