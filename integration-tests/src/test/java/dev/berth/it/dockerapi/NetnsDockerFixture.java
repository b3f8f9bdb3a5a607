package dev.berth.it.dockerapi;

import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.NetnsHttp;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.testsupport.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * DockerCliTest's set-up with networking: a private berthd (with its default bridge; masquerade and upstream DNS
 * off) in a private network namespace without uplink ({@code ip netns add}, {@code nsenter --net}), Debian's
 * docker CLI on its {@code docker.sock} and busybox loaded with {@code docker load}. docker.io has a mirror on
 * 127.0.0.1 that does not answer, and the namespace has no route out: nothing can come from the internet. The
 * test reaches published ports on the namespace's 127.0.0.1 from a thread that joined it.
 */
final class NetnsDockerFixture implements AutoCloseable {

    private static final LinuxSyscalls SYS = LinuxSyscalls.loadBuilt();

    private final Path dir;
    private final String netns;
    private final CommandLine commands;
    private BerthdProcess berthd;
    private DockerCli docker;

    private NetnsDockerFixture(Path dir, String netns) {
        this.dir = dir;
        this.netns = netns;
        this.commands = new CommandLine(dir);
    }

    static NetnsDockerFixture start(String prefix) throws IOException, InterruptedException {
        Path binary = DockerCli.binary(Files.createDirectories(
                DockerCliTest.REPO.resolve("integration-tests/target/docker-cli")));
        String netns = prefix + "-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().formatHex(new byte[] {(byte) System.nanoTime(), (byte) (System.nanoTime() >> 8)});
        NetnsDockerFixture f = new NetnsDockerFixture(Files.createTempDirectory(Path.of("/tmp"), prefix + "-"),
                netns);
        boolean ok = false;
        try {
            f.host("ip", "netns", "add", netns);
            f.host("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up");
            Path daemonDir = Files.createDirectories(f.dir.resolve("d"));
            String config = "[berth.network]\nbridge = \"berth0\"\nmasquerade = false\nupstream_dns = false\n"
                    + "[berth.registry.mirrors]\n\"docker.io\" = [\"127.0.0.1:9\"]\n";
            f.berthd = BerthdProcess.start(DockerCliTest.REPO, daemonDir,
                    new CommandLine(Files.createDirectories(daemonDir.resolve("daemon"))),
                    new BerthdProcess.Options(config, false, netns));
            f.docker = new DockerCli(binary, daemonDir.resolve("docker.sock"),
                    Files.createDirectories(f.dir.resolve("docker-config")),
                    new CommandLine(Files.createDirectories(f.dir.resolve("calls"))));
            Path archive = f.dir.resolve("busybox.tar");
            BusyboxImage.writeArchive(BusyboxImage.DEFAULT_NAME, archive);
            CliResult load = f.docker.run("load", "-i", archive.toString()).assertSuccess();
            if (!load.stdout().contains("Loaded image: busybox:latest")) {
                throw new AssertionError("docker load: " + load);
            }
            ok = true;
            return f;
        } finally {
            if (!ok) {
                f.close();
            }
        }
    }

    DockerCli docker() {
        return docker;
    }

    Path dir() {
        return dir;
    }

    /** berthd's Docker API socket. */
    Path socket() {
        return dir.resolve("d/docker.sock");
    }

    /** The directory of the docker client binary (compose runs {@code docker} from its PATH for exec and run). */
    Path dockerBinDir() {
        return DockerCliTest.REPO.resolve("integration-tests/target/docker-cli");
    }

    String daemonLog() {
        return berthd.log();
    }

    /** A command in the private namespace ({@code nsenter --net}); its stdout. */
    String inNetns(String... argv) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns));
        command.addAll(List.of(argv));
        return host(command.toArray(String[]::new));
    }

    /** {@code GET /} on the namespace's 127.0.0.1:{@code port}, from a thread that joined it; retried 10 s. */
    String httpGet(int port) throws InterruptedException, ExecutionException, TimeoutException {
        return NetnsHttp.get(SYS, netns, port);
    }

    private String host(String... argv) {
        return commands.run(Duration.ofSeconds(60), List.of(argv)).assertSuccess().stdout();
    }

    /** Stops berthd, reaps what a failed test left, removes the namespace and the directory. */
    @Override
    public void close() throws IOException {
        try {
            if (berthd != null) {
                berthd.close();
            }
        } finally {
            BerthdProcess.reapLeftovers(dir);
            commands.run(Duration.ofSeconds(60), List.of("ip", "netns", "del", netns));
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
