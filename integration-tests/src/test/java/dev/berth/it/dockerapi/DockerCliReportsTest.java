package dev.berth.it.dockerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Debian's docker CLI 20.10 against berthd's Docker API for the reports and changes of containers: {@code docker
 * stats --no-stream}, {@code docker update --memory}, {@code docker diff}, {@code docker system df} and
 * {@code docker image prune}, on a private berthd set up as {@link DockerCliTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerCliReportsTest {
    private static final long MB = 1024 * 1024;

    private DockerCliFixture fixture;
    private Path dir;
    private DockerCli docker;

    @BeforeAll
    void startDaemon() throws IOException, InterruptedException {
        fixture = DockerCliFixture.start("dcr-", Map.of());
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
    void statsNoStream_andUpdateMemory() {
        docker.run("run", "-d", "--name", "dcr-s", "busybox", "sh", "-c", "sleep 300 & wait").assertSuccess();
        CliResult stats = docker.run("stats", "--no-stream", "dcr-s").assertSuccess();
        List<String> table = DockerCliFixture.lines(stats.stdout());
        assertEquals(2, table.size(), stats.toString());
        assertTrue(table.getFirst().matches("CONTAINER ID\\s+NAME\\s+CPU %\\s+MEM USAGE / LIMIT\\s+MEM %\\s+"
                + "NET I/O\\s+BLOCK I/O\\s+PIDS"), stats.toString());
        assertTrue(table.get(1).matches("[0-9a-f]{12}\\s+dcr-s\\s+\\d+\\.\\d\\d%\\s+\\S+ / \\S+\\s+\\d+\\.\\d\\d%.*"
                + "\\s2"), stats.toString());

        assertEquals("dcr-s", docker.run("update", "--memory", "64m", "dcr-s").assertSuccess().stdout().strip());
        assertEquals(Long.toString(64 * MB), docker.run("inspect", "-f", "{{.HostConfig.Memory}}", "dcr-s")
                .assertSuccess().stdout().strip());
        assertEquals(Long.toString(64 * MB), docker.run("exec", "dcr-s", "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max")
                .assertSuccess().stdout().strip());
        assertTrue(docker.run("stats", "--no-stream", "--format", "{{.MemUsage}}", "dcr-s").assertSuccess()
                .stdout().strip().endsWith("/ 64MiB"));
        CliResult tiny = docker.run("update", "--memory", "1m", "dcr-s").assertFailure();
        assertTrue(tiny.stderr().contains("Minimum memory limit allowed is 6MB"), tiny.toString());
    }

    @Test
    void diff_ofAStoppedContainer() {
        docker.run("run", "--name", "dcr-d", "busybox", "sh", "-c", "touch /new && rm /bin/true && echo x >> /etc/x")
                .assertSuccess();
        assertEquals(List.of("C /bin", "D /bin/true", "C /etc", "A /etc/x", "A /new"),
                DockerCliFixture.lines(docker.run("diff", "dcr-d").assertSuccess().stdout()));
    }

    @Test
    void systemDf_andImagePrune() {
        docker.run("create", "--name", "dcr-df", "busybox", "true").assertSuccess();
        CliResult df = docker.run("system", "df").assertSuccess();
        List<String> rows = DockerCliFixture.lines(df.stdout());
        assertTrue(rows.getFirst().matches("TYPE\\s+TOTAL\\s+ACTIVE\\s+SIZE\\s+RECLAIMABLE"), df.toString());
        assertTrue(rows.get(1).matches("Images\\s+1\\s+1\\s+\\S+\\s+.*"), df.toString());
        assertTrue(rows.get(2).matches("Containers\\s+1\\s+0\\s+.*"), df.toString());
        assertTrue(rows.get(4).startsWith("Build Cache"), df.toString());
        assertTrue(docker.run("system", "df", "-v").assertSuccess().stdout().contains("dcr-df"));
        CliResult prune = docker.run("image", "prune", "-f").assertSuccess();
        assertEquals("Total reclaimed space: 0B", prune.stdout().strip(), prune.toString());
        assertTrue(docker.run("images", "-q").assertSuccess().stdout().strip().length() >= 12, "busybox stays");
    }
}
