package dev.berth.it.dockerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Debian's docker CLI 20.10 against a private berthd's Docker API socket ({@code docker.sock} beside its gRPC
 * socket): busybox is loaded with {@code docker load} from test-support's archive, so nothing comes from
 * docker.io. Each test removes its containers and volumes through the CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerCliTest {

    static final Path REPO = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();

    private DockerCliFixture fixture;
    private Path dir;
    private DockerCli docker;

    @BeforeAll
    void startDaemon() throws IOException, InterruptedException {
        fixture = DockerCliFixture.start("dcli-", Map.of());
        dir = fixture.dir;
        docker = fixture.docker;
    }

    @AfterAll
    void stopDaemon() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void removeContainersAndVolumes() {
        fixture.removeContainersAndVolumes();
    }

    @Test
    void versionAndInfoDescribeBerthAsADockerEngine() {
        CliResult version = docker.run("version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} "
                + "{{.Server.Os}}").assertSuccess();
        assertEquals("20.10.24-berth 1.41 linux", version.stdout().strip());
        CliResult info = docker.run("info", "--format", "{{.OSType}} {{.Swarm.LocalNodeState}}").assertSuccess();
        assertEquals("linux inactive", info.stdout().strip());
    }

    @Test
    void createdContainerIsListedInspectedAndForceRemoved() {
        String id = docker.run("create", "--name", "dcli-c1", "busybox", "true").assertSuccess().stdout().strip();
        assertEquals(64, id.length(), id);
        assertEquals("dcli-c1 Created", docker.run("ps", "-a", "--filter", "name=dcli-c1", "--format",
                "{{.Names}} {{.State}}").assertSuccess().stdout().strip().replace("created", "Created"));
        assertEquals("busybox [true]", docker.run("inspect", "-f", "{{.Config.Image}} {{.Config.Cmd}}", "dcli-c1")
                .assertSuccess().stdout().strip());
        docker.run("rm", "-f", "dcli-c1").assertSuccess();
        CliResult gone = docker.run("container", "inspect", "dcli-c1").assertFailure();
        assertTrue(gone.stderr().contains("No such container"), gone.toString());
    }

    @Test
    void createOfAnImageThatIsNotThereIsDockersNoSuchImage() {
        CliResult r = docker.run("create", "--pull", "never", "berth-not-here:1").assertFailure();
        assertTrue(r.stderr().contains("No such image"), r.toString());
    }

    @Test
    void volumesAreCreatedListedInspectedAndRemoved() {
        docker.run("volume", "create", "--label", "k=v", "dcli-v1").assertSuccess();
        assertTrue(DockerCliFixture.lines(docker.run("volume", "ls", "-q").assertSuccess().stdout()).contains("dcli-v1"));
        assertEquals("local map[k:v]", docker.run("volume", "inspect", "-f", "{{.Driver}} {{.Labels}}", "dcli-v1")
                .assertSuccess().stdout().strip());
        docker.run("volume", "rm", "dcli-v1").assertSuccess();
        CliResult gone = docker.run("volume", "inspect", "dcli-v1").assertFailure();
        assertTrue(gone.stderr().toLowerCase(java.util.Locale.ROOT).contains("no such volume"), gone.toString());
    }

    @Test
    void runRemovesItsContainerAndPrintsItsOutput() {
        CliResult r = docker.run("run", "--rm", "busybox", "echo", "hi").assertSuccess();
        assertEquals("hi", r.stdout().strip());
        assertEquals(List.of(), DockerCliFixture.lines(docker.run("ps", "-a", "-q").assertSuccess().stdout()));
        assertEquals(3, docker.run("run", "--rm", "busybox", "sh", "-c", "exit 3").exitCode());
    }

    @Test
    void logsAndExecReachARunningContainer() {
        docker.run("run", "-d", "--name", "dcli-w", "busybox", "sh", "-c", "echo started; exec sleep 300")
                .assertSuccess();
        assertEquals("started", docker.run("logs", "dcli-w").assertSuccess().stdout().strip());
        assertEquals("inside", docker.run("exec", "dcli-w", "echo", "inside").assertSuccess().stdout().strip());
        assertEquals("fed", docker.runWithStdin("fed\n", "exec", "-i", "dcli-w", "cat").assertSuccess().stdout()
                .strip());
        assertEquals("running", docker.run("inspect", "-f", "{{.State.Status}}", "dcli-w").assertSuccess().stdout()
                .strip());
        docker.run("rm", "-f", "dcli-w").assertSuccess();
    }

    @Test
    void copyGoesIntoAndOutOfARunningContainer() throws IOException {
        docker.run("run", "-d", "--name", "dcli-cp", "busybox", "sleep", "300").assertSuccess();
        Path file = dir.resolve("to-container.txt");
        Files.writeString(file, "copied in\n");
        docker.run("cp", file.toString(), "dcli-cp:/tmp/in.txt").assertSuccess();
        assertEquals("copied in", docker.run("exec", "dcli-cp", "cat", "/tmp/in.txt").assertSuccess().stdout()
                .strip());
        Path out = Files.createDirectories(dir.resolve("from-container"));
        docker.run("cp", "dcli-cp:/tmp/in.txt", out.toString()).assertSuccess();
        assertEquals("copied in\n", Files.readString(out.resolve("in.txt")));
        docker.run("rm", "-f", "dcli-cp").assertSuccess();
    }

    @Test
    void testcontainersStartsExecsAndReadsLogsOfAGenericContainer() throws IOException {
        CliResult r = new CommandLine(Files.createDirectories(dir.resolve("tc"))).run(java.time.Duration.ofMinutes(3),
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                        System.getProperty("java.class.path"), TestcontainersProbe.class.getName()),
                java.util.Map.of("DOCKER_HOST", "unix://" + dir.resolve("d/docker.sock"),
                        "TESTCONTAINERS_RYUK_DISABLED", "true", "HOME", dir.toString(),
                        // the host is this machine: no alpine container (from docker.io) to find a gateway
                        "TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1"), null);
        r.assertSuccess();
        List<String> out = DockerCliFixture.lines(r.stdout());
        assertTrue(out.contains("started=true"), r.toString());
        assertTrue(out.contains("exec.stdout=copied in"), r.toString());
        assertTrue(out.contains("exec.stderr=oops"), r.toString());
        assertTrue(out.contains("exec.exit=3"), r.toString());
        assertTrue(out.contains("logs=ready"), r.toString());
    }
}
