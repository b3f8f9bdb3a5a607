package dev.berth.it.dockerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's docker-compose 1.29.2 against a private berthd in a private network namespace ({@link
 * NetnsDockerFixture}): a two-service application (busybox httpd serving a file from a named volume on a published
 * port, and a client that fetches {@code http://web/} by service name) through {@code up -d}, {@code ps},
 * {@code logs}, {@code exec}, {@code run --rm}, {@code stop}, {@code start}, a second {@code up -d} that changes
 * nothing, a recreate that keeps the volume, and {@code down -v}; an attached {@code up} of a one-shot service; and
 * a service with {@code build:}.
 * compose runs the fixture's docker CLI (first on its PATH) for {@code exec} and {@code run}, as it does on Linux.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ComposeTest {

    private static final Path COMPOSE = Path.of("/usr/bin/docker-compose");
    private static final int PORT = 18090;
    private static final String APP = """
            version: "3.8"
            services:
              web:
                image: busybox
                init: true
                command:
                  - sh
                  - -c
                  - >-
                    [ -f /www/index.html ] || echo hello-from-volume > /www/index.html;
                    echo web ready%s; exec httpd -f -v -p 80 -h /www
                volumes:
                  - site:/www
                ports:
                  - "127.0.0.1:%d:80"
              client:
                image: busybox
                init: true
                command: ["sh", "-c", "until wget -q -O - http://web/; do sleep 1; done; exec sleep 3600"]
                depends_on:
                  - web
            volumes:
              site:
            """;

    private NetnsDockerFixture f;
    private CommandLine commands;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        if (!Files.isExecutable(COMPOSE)) {
            throw new AssertionError(COMPOSE + " is missing: scripts/setup.sh installs Debian's docker-compose");
        }
        f = NetnsDockerFixture.start("dcmp");
        commands = new CommandLine(Files.createDirectories(f.dir().resolve("compose-calls")));
    }

    @AfterAll
    void stop() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void twoServiceApp_upPsLogsExecRunStopStartUpAgainDown() throws Exception {
        Project p = project("cmpa", APP.formatted("", PORT));
        try {
            CliResult up = p.compose("up", "-d").assertSuccess();
            assertTrue(up.stderr().contains("Creating network \"cmpa_default\""), up.toString());
            assertTrue(up.stderr().contains("Creating volume \"cmpa_site\""), up.toString());
            assertTrue(up.stderr().contains("Creating cmpa_web_1"), up.toString());
            assertTrue(up.stderr().contains("Creating cmpa_client_1"), up.toString());
            List<String> ids = ids("cmpa");
            assertEquals(2, ids.size(), ids.toString());

            String ps = p.compose("ps").assertSuccess().stdout();
            assertTrue(ps.matches("(?s).*cmpa_web_1 .* Up +127\\.0\\.0\\.1:" + PORT + "->80/tcp.*"), ps);
            assertTrue(ps.matches("(?s).*cmpa_client_1 .* Up .*"), ps);

            String clientLogs = p.awaitLogs("client", "hello-from-volume");
            assertTrue(clientLogs.contains("client_1  | hello-from-volume"), clientLogs);
            assertTrue(p.compose("logs", "--no-color", "web").assertSuccess().stdout().contains("web ready"));

            assertEquals("hello-from-volume", p.compose("exec", "-T", "web", "cat", "/www/index.html")
                    .assertSuccess().stdout().strip());
            CliResult run = p.compose("run", "--rm", "client", "wget", "-q", "-O", "-", "http://web/")
                    .assertSuccess();
            assertEquals("hello-from-volume", run.stdout().strip(), run.toString());
            assertEquals(7, p.compose("run", "--rm", "client", "sh", "-c", "exit 7").exitCode());
            assertEquals(ids, ids("cmpa"), "run --rm left no container behind");
            assertTrue(f.httpGet(PORT).contains("hello-from-volume"));
            String web = f.docker().run("inspect", "-f", "{{.Id}}", "cmpa_web_1").assertSuccess().stdout().strip();
            assertEquals(List.of(web.substring(0, 12), "web").stream().sorted().toList(), f.docker().run("inspect",
                    "-f", "{{range (index .NetworkSettings.Networks \"cmpa_default\").Aliases}}{{println .}}{{end}}",
                    web).assertSuccess().stdout().lines().filter(l -> !l.isEmpty()).sorted().toList(),
                    "the service name and the short id (that compose asks for itself), once");

            p.compose("stop").assertSuccess();
            String stopped = p.compose("ps").assertSuccess().stdout();
            assertFalse(stopped.contains(" Up "), stopped);
            p.compose("start").assertSuccess();
            assertTrue(f.httpGet(PORT).contains("hello-from-volume"), "the volume's file is still served");

            CliResult again = p.compose("up", "-d").assertSuccess();
            assertTrue(again.stderr().contains("cmpa_web_1 is up-to-date"), again.toString());
            assertTrue(again.stderr().contains("cmpa_client_1 is up-to-date"), again.toString());
            assertFalse(again.stderr().contains("Creating") || again.stderr().contains("Recreating"),
                    again.toString());
            assertEquals(ids, ids("cmpa"), "an unchanged project keeps its containers");
        } finally {
            p.down();
        }
        assertEquals(List.of(), ids("cmpa"));
        assertFalse(f.docker().run("network", "ls", "--format", "{{.Name}}").assertSuccess().stdout()
                .contains("cmpa_default"));
        assertFalse(f.docker().run("volume", "ls", "-q").assertSuccess().stdout().contains("cmpa_site"));
        assertEquals("", f.inNetns("ip", "-o", "link", "show", "type", "veth").strip(), "leftover veths");
    }

    @Test
    void changedService_isRecreated_keepingItsNamedVolume() throws Exception {
        Project p = project("cmpb", APP.formatted("", PORT + 1));
        try {
            p.compose("up", "-d").assertSuccess();
            p.compose("exec", "-T", "web", "sh", "-c", "echo changed-in-volume > /www/index.html").assertSuccess();
            String before = f.docker().run("inspect", "-f", "{{.Id}}", "cmpb_web_1").assertSuccess().stdout().strip();

            p.write(APP.formatted(" v2", PORT + 1));
            CliResult up = p.compose("up", "-d").assertSuccess();
            assertTrue(up.stderr().contains("Recreating cmpb_web_1"), up.toString());
            assertTrue(up.stderr().contains("cmpb_client_1 is up-to-date"), up.toString());
            String after = f.docker().run("inspect", "-f", "{{.Id}}", "cmpb_web_1").assertSuccess().stdout().strip();
            assertNotEquals(before, after);
            assertEquals(2, ids("cmpb").size(), "the renamed old container is gone");
            assertTrue(f.httpGet(PORT + 1).contains("changed-in-volume"));
            assertTrue(p.awaitLogs("web", "web ready v2").contains("web ready v2"));
        } finally {
            p.down();
        }
    }

    @Test
    void attachedUp_printsTheServicesOutput_andExitsWithItsCode() throws Exception {
        Project p = project("cmpc", """
                version: "3.8"
                services:
                  job:
                    image: busybox
                    command: ["sh", "-c", "echo job-out; echo job-err >&2; exit 3"]
                """);
        try {
            CliResult up = p.compose("up", "--exit-code-from", "job");
            assertEquals(3, up.exitCode(), up.toString());
            assertTrue(up.stdout().contains("job_1  | job-out"), up.toString());
            assertTrue(up.stdout().contains("job_1  | job-err"), up.toString());
            assertTrue(up.stdout().contains("cmpc_job_1 exited with code 3"), up.toString());
        } finally {
            p.down();
        }
    }

    /** {@code build:} in the compose file: compose builds through berthd's {@code /build}, then runs the image. */
    @Test
    void buildService_isBuiltByBerthd_runs_andARebuildHitsTheCache() throws Exception {
        Project p = project("cmpb", """
                version: "3.8"
                services:
                  app:
                    build: ./app
                    image: cmpb-app:1
                    command: ["cat", "/built"]
                """);
        Files.createDirectories(p.dir.resolve("app"));
        Files.writeString(p.dir.resolve("app/Dockerfile"), "FROM busybox\nRUN echo built-by-compose > /built\n");
        try {
            CliResult build = p.compose("build").assertSuccess();
            assertTrue((build.stdout() + build.stderr()).contains("Successfully tagged cmpb-app:1"), build.toString());
            CliResult up = p.compose("up", "--exit-code-from", "app");
            assertEquals(0, up.exitCode(), up.toString());
            assertTrue(up.stdout().contains("built-by-compose"), up.toString());
            CliResult again = p.compose("build").assertSuccess();
            assertTrue((again.stdout() + again.stderr()).contains("Using cache"), again.toString());
        } finally {
            p.down();
            f.docker().run("rmi", "cmpb-app:1");
        }
    }

    /** The container ids of a project, by compose's label. */
    private List<String> ids(String project) {
        return f.docker().run("ps", "-a", "-q", "--no-trunc", "--filter", "label=com.docker.compose.project="
                + project).assertSuccess().stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).sorted()
                .toList();
    }

    private Project project(String name, String yaml) throws IOException {
        Project p = new Project(name, Files.createDirectories(f.dir().resolve(name)));
        p.write(yaml);
        return p;
    }

    /** One compose project: its directory with docker-compose.yml, run with {@code -p name}. */
    private final class Project {
        private final String name;
        private final Path dir;

        Project(String name, Path dir) {
            this.name = name;
            this.dir = dir;
        }

        void write(String yaml) throws IOException {
            Files.writeString(dir.resolve("docker-compose.yml"), yaml);
        }

        CliResult compose(String... args) {
            List<String> argv = new ArrayList<>(List.of(COMPOSE.toString(), "--ansi", "never", "-f",
                    dir.resolve("docker-compose.yml").toString(), "--project-directory", dir.toString(), "-p", name));
            argv.addAll(List.of(args));
            return commands.run(Duration.ofMinutes(2), argv, Map.of("DOCKER_HOST", "unix://" + f.socket(),
                    "DOCKER_CONFIG", f.dir().resolve("docker-config").toString(),
                    "PATH", f.dockerBinDir() + ":" + System.getenv("PATH")), null);
        }

        String awaitLogs(String service, String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String out = "";
            while (System.nanoTime() < deadline) {
                out = compose("logs", "--no-color", service).assertSuccess().stdout();
                if (out.contains(expected)) {
                    return out;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no '" + expected + "' in the logs of " + service + ": " + out);
        }

        void down() {
            compose("down", "-v").assertSuccess();
        }
    }
}
