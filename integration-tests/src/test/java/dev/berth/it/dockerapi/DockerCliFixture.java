package dev.berth.it.dockerapi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.testsupport.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The docker CLI suites' set-up: a private berthd under a temp dir, Debian's docker CLI at
 * its {@code docker.sock} with a private {@code DOCKER_CONFIG}, busybox loaded with {@code docker load} from
 * test-support's archive. {@link #close()} stops berthd by its pid and removes the dir.
 */
final class DockerCliFixture implements AutoCloseable {

    final Path dir;
    final BerthdProcess berthd;
    final DockerCli docker;
    private final Path binary;
    private final CommandLine commandLine;

    private DockerCliFixture(Path dir, BerthdProcess berthd, DockerCli docker, Path binary, CommandLine commandLine) {
        this.dir = dir;
        this.berthd = berthd;
        this.docker = docker;
        this.binary = binary;
        this.commandLine = commandLine;
    }

    /** Starts berthd with {@code berthdEnv} added to its environment, and loads busybox. */
    static DockerCliFixture start(String prefix, Map<String, String> berthdEnv) throws IOException,
            InterruptedException {
        Path binary = DockerCli.binary(Files.createDirectories(
                DockerCliTest.REPO.resolve("integration-tests/target/docker-cli")));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        BerthdProcess berthd = null;
        try {
            Path daemonDir = Files.createDirectories(dir.resolve("d"));
            berthd = BerthdProcess.start(DockerCliTest.REPO, daemonDir,
                    new CommandLine(Files.createDirectories(daemonDir.resolve("daemon"))),
                    BerthdProcess.Options.defaults(), berthdEnv);
            CommandLine calls = new CommandLine(Files.createDirectories(dir.resolve("calls")));
            DockerCli docker = new DockerCli(binary, daemonDir.resolve("docker.sock"),
                    Files.createDirectories(dir.resolve("docker-config")), calls);
            DockerCliFixture f = new DockerCliFixture(dir, berthd, docker, binary, calls);
            Path archive = dir.resolve("busybox.tar");
            BusyboxImage.writeArchive(BusyboxImage.DEFAULT_NAME, archive);
            CliResult load = docker.run("load", "-i", archive.toString()).assertSuccess();
            assertTrue(load.stdout().contains("Loaded image: busybox:latest"), load.toString());
            return f;
        } catch (IOException | RuntimeException | Error e) {
            if (berthd != null) {
                berthd.close();
            }
            BerthdProcess.reapLeftovers(dir);
            deleteTree(dir);
            throw e;
        }
    }

    Path socket() {
        return dir.resolve("d/docker.sock");
    }

    /** The docker CLI's environment: {@code DOCKER_HOST} at berthd, the private {@code DOCKER_CONFIG}. */
    Map<String, String> env() {
        return Map.of("DOCKER_HOST", "unix://" + socket(), "DOCKER_CONFIG", dir.resolve("docker-config").toString());
    }

    /** The docker binary's path, for shell lines. */
    String dockerPath() {
        return binary.toString();
    }

    /** {@code sh -c script} with the CLI's environment, for pipes between docker calls. */
    CliResult shell(String script) {
        return commandLine.run(Duration.ofMinutes(2), List.of("/bin/sh", "-c", script), env(), null);
    }

    /** Removes every container and volume through the CLI; a failure names what was left. */
    void removeContainersAndVolumes() {
        List<String> problems = new ArrayList<>();
        for (String id : lines(docker.run("ps", "-a", "-q").stdout())) {
            CliResult rm = docker.run("rm", "-f", id);
            if (!rm.succeeded()) {
                problems.add(rm.toString());
            }
        }
        for (String v : lines(docker.run("volume", "ls", "-q").stdout())) {
            CliResult rm = docker.run("volume", "rm", v);
            if (!rm.succeeded()) {
                problems.add(rm.toString());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("clean-up:\n" + String.join("\n", problems));
        }
    }

    static List<String> lines(String out) {
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Override
    public void close() throws IOException {
        try {
            berthd.close();
        } finally {
            BerthdProcess.reapLeftovers(dir);
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
