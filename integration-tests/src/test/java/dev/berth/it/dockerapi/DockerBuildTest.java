package dev.berth.it.dockerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code docker build} (Debian's docker CLI 20.10, classic builder) against berthd's {@code POST /build}: the
 * JSON stream the CLI prints, {@code --iidfile} from the {@code aux} ID, the image it then runs, and a failing RUN
 * whose exit code the CLI exits with. busybox is loaded with {@code docker load}, as in {@link DockerCliTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerBuildTest {
    private DockerCliFixture fixture;
    private Path dir;
    private DockerCli docker;

    @BeforeAll
    void startDaemon() throws IOException, InterruptedException {
        fixture = DockerCliFixture.start("dbld-", Map.of());
        dir = fixture.dir;
        docker = fixture.docker;
    }

    @AfterAll
    void stopDaemon() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void dockerBuild_streamsTheStepsWritesTheIidfileAndTheImageRuns() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM busybox
                COPY msg.txt /msg.txt
                RUN cat /msg.txt > /copied
                CMD ["cat", "/copied"]
                """);
        Files.writeString(ctx.resolve("msg.txt"), "through the docker cli\n");
        Path iid = dir.resolve("iid");
        CliResult b = docker.run("build", "-t", "dbuild:1", "--iidfile", iid.toString(), ctx.toString())
                .assertSuccess();
        assertTrue(b.stdout().contains("Step 1/4 : FROM busybox"), b.toString());
        assertTrue(b.stdout().contains("Successfully tagged dbuild:1"), b.toString());
        String id = Files.readString(iid).strip();
        assertEquals(id, docker.run("image", "inspect", "-f", "{{.Id}}", "dbuild:1").assertSuccess().stdout()
                .strip());
        assertEquals("through the docker cli\n", docker.run("run", "--rm", "dbuild:1").assertSuccess().stdout());
        CliResult cached = docker.run("build", "-q", "-t", "dbuild:1", ctx.toString()).assertSuccess();
        assertEquals(id, cached.stdout().strip());
    }

    @Test
    void dockerBuild_ofAFailingRunExitsWithItsCode() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx-fail"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN echo before-failing; exit 7\n");
        CliResult b = docker.run("build", ctx.toString());
        assertEquals(7, b.exitCode(), b.toString());
        assertTrue(b.stdout().contains("before-failing"), b.toString());
        assertTrue(b.stderr().contains("returned a non-zero code: 7"), b.toString());
        assertEquals("", docker.run("ps", "-a", "-q").assertSuccess().stdout().strip());
    }
}
