package dev.berth.it.dockerapi;

import static dev.berth.it.dockerapi.DockerCliFixture.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The docker CLI acceptance items DockerCliTest does not cover, on its fixture: login, push, pull with the stored
 * credentials and logout against a Basic-auth registry on 127.0.0.1, images/tag/rmi/inspect of an image,
 * save | load, commit, wait, ps -a with filters, logs -f, events --since, and run -it and exec -it on a real
 * terminal (tmux).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerCliAcceptanceTest {

    private static final String USER = "dcli";
    private static final String PASSWORD = "s3cret-pw";

    private DockerCliFixture f;
    private DockerCli docker;
    private LocalRegistry registry;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        f = DockerCliFixture.start("dcli2-", Map.of());
        docker = f.docker;
        registry = LocalRegistry.basic(USER, PASSWORD);
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            if (f != null) {
                f.close();
            }
        }
    }

    @AfterEach
    void clean() {
        f.removeContainersAndVolumes();
    }

    @Test
    void loginPushPullLogout_withABasicAuthRegistry() {
        String host = registry.host();
        String image = host + "/dcli/busybox:1";
        CliResult wrong = docker.runWithStdin("nope\n", "login", host, "-u", USER, "--password-stdin");
        assertEquals(1, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.stderr().contains("Error response from daemon: login attempt to http://" + host
                + "/v2/ failed with status: 401 Unauthorized"), wrong.toString());

        CliResult login = docker.runWithStdin(PASSWORD + "\n", "login", host, "-u", USER, "--password-stdin")
                .assertSuccess();
        assertTrue(login.stdout().contains("Login Succeeded"), login.toString());

        docker.run("tag", "busybox", image).assertSuccess();
        CliResult push = docker.run("push", image).assertSuccess();
        assertTrue(push.stdout().contains("The push refers to repository [" + host + "/dcli/busybox]"),
                push.toString());
        assertTrue(push.stdout().contains("Pushed"), push.toString());
        assertTrue(push.stdout().matches("(?s).*1: digest: sha256:[0-9a-f]{64} size: \\d+.*"), push.toString());

        docker.run("rmi", image).assertSuccess();
        CliResult pull = docker.run("pull", image).assertSuccess();
        assertTrue(pull.stdout().contains("Status: Downloaded newer image for " + image)
                || pull.stdout().contains("Status: Image is up to date for " + image), pull.toString());
        assertEquals("pulled", docker.run("run", "--rm", image, "echo", "pulled").assertSuccess().stdout().strip());

        CliResult logout = docker.run("logout", host).assertSuccess();
        assertTrue(logout.stdout().contains("Removing login credentials for " + host), logout.toString());
        docker.run("rmi", image).assertSuccess();
        CliResult refused = docker.run("pull", image).assertFailure();
        assertTrue(refused.stderr().contains("authentication required"), refused.toString());
    }

    @Test
    void imagesTagInspectAndRmi() {
        docker.run("tag", "busybox", "dcli/tagged:2").assertSuccess();
        List<String> repos = lines(docker.run("images", "--format", "{{.Repository}}:{{.Tag}}").assertSuccess()
                .stdout());
        assertTrue(repos.contains("dcli/tagged:2") && repos.contains("busybox:latest"), repos.toString());
        String id = docker.run("image", "inspect", "-f", "{{.Id}}", "busybox").assertSuccess().stdout().strip();
        assertEquals(id, docker.run("inspect", "--type", "image", "-f", "{{.Id}}", "dcli/tagged:2").assertSuccess()
                .stdout().strip());
        assertEquals("linux amd64", docker.run("image", "inspect", "-f", "{{.Os}} {{.Architecture}}", "busybox")
                .assertSuccess().stdout().strip());
        CliResult rmi = docker.run("rmi", "dcli/tagged:2").assertSuccess();
        assertTrue(rmi.stdout().contains("Untagged: dcli/tagged:2"), rmi.toString());
        assertFalse(lines(docker.run("images", "--format", "{{.Repository}}:{{.Tag}}").stdout())
                .contains("dcli/tagged:2"));
    }

    @Test
    void saveThroughAPipeIntoLoad() {
        docker.run("tag", "busybox", "dcli/saved:1").assertSuccess();
        String d = "'" + f.dockerPath() + "'";
        CliResult piped = f.shell(d + " save dcli/saved:1 | " + d + " load").assertSuccess();
        assertTrue(piped.stdout().contains("Loaded image: dcli/saved:1"), piped.toString());
        Path archive = f.dir.resolve("saved.tar");
        f.shell(d + " save dcli/saved:1 > '" + archive + "'").assertSuccess();
        docker.run("rmi", "dcli/saved:1").assertSuccess();
        CliResult load = f.shell(d + " load < '" + archive + "'").assertSuccess();
        assertTrue(load.stdout().contains("Loaded image: dcli/saved:1"), load.toString());
        assertEquals("saved", docker.run("run", "--rm", "dcli/saved:1", "echo", "saved").assertSuccess().stdout()
                .strip());
        docker.run("rmi", "dcli/saved:1").assertSuccess();
    }

    @Test
    void commitMakesAnImageOfTheContainersChanges() {
        docker.run("run", "--name", "dcli-commit", "busybox", "sh", "-c", "echo committed > /hello").assertSuccess();
        docker.run("commit", "--change", "CMD [\"cat\", \"/hello\"]", "dcli-commit", "dcli/committed:1")
                .assertSuccess();
        assertEquals("committed", docker.run("run", "--rm", "dcli/committed:1").assertSuccess().stdout().strip());
        docker.run("rmi", "dcli/committed:1").assertSuccess();
    }

    @Test
    void waitPrintsTheExitCodeAndPsFiltersByStatusAndLabel() {
        docker.run("run", "-d", "--name", "dcli-exit7", "--label", "dcli=exit", "busybox", "sh", "-c", "exit 7")
                .assertSuccess();
        docker.run("run", "-d", "--name", "dcli-sleeper", "--label", "dcli=sleep", "busybox", "sleep", "300")
                .assertSuccess();
        assertEquals("7", docker.run("wait", "dcli-exit7").assertSuccess().stdout().strip());
        assertEquals(List.of("dcli-exit7"), lines(docker.run("ps", "-a", "--filter", "status=exited",
                "--filter", "label=dcli", "--format", "{{.Names}}").assertSuccess().stdout()));
        assertEquals(List.of("dcli-sleeper"), lines(docker.run("ps", "-a", "--filter", "label=dcli=sleep",
                "--format", "{{.Names}}").assertSuccess().stdout()));
        assertEquals(List.of("dcli-sleeper"), lines(docker.run("ps", "--filter", "label=dcli", "--format",
                "{{.Names}}").assertSuccess().stdout()));
        assertTrue(docker.run("ps", "-a", "--filter", "name=dcli-exit7", "--format", "{{.Status}}").assertSuccess()
                .stdout().strip().startsWith("Exited (7)"));
    }

    @Test
    void logsFollowReturnsAllOutputAndEndsWithTheContainer() {
        docker.run("run", "-d", "--name", "dcli-follow", "busybox", "sh", "-c", "echo one; sleep 2; echo two")
                .assertSuccess();
        CliResult logs = docker.run("logs", "-f", "dcli-follow").assertSuccess();
        assertEquals(List.of("one", "two"), lines(logs.stdout()));
    }

    @Test
    void eventsSinceReplaysAContainersLifeCycle() {
        long since = Instant.now().getEpochSecond() - 1;
        docker.run("run", "--rm", "--name", "dcli-events", "busybox", "true").assertSuccess();
        long until = Instant.now().getEpochSecond() + 1;
        CliResult events = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--filter", "container=dcli-events", "--format", "{{.Type}} {{.Action}}").assertSuccess();
        List<String> seen = lines(events.stdout());
        for (String action : List.of("container create", "container start", "container die",
                "container destroy")) {
            assertTrue(seen.contains(action), action + " missing: " + events);
        }
        assertTrue(seen.indexOf("container create") < seen.indexOf("container destroy"), seen.toString());
    }

    @Test
    void runInteractiveOnATerminal() throws IOException, InterruptedException {
        try (Tmux t = Tmux.start(f.dir.resolve("tmux-run.sock"), "'" + f.dockerPath()
                + "' run -it --rm --name dcli-it busybox sh", f.env())) {
            t.await("/ #", Duration.ofSeconds(30));
            t.type("[ -t 0 ] && echo tty-$((6*7))");
            t.await("tty-42", Duration.ofSeconds(10));
            t.type("exit 5");
            t.assertExit(5, Duration.ofSeconds(20));
        }
        assertEquals(List.of(), lines(docker.run("ps", "-a", "-q").stdout()));
    }

    @Test
    void execInteractiveOnATerminal() throws IOException, InterruptedException {
        docker.run("run", "-d", "--name", "dcli-execit", "busybox", "sleep", "300").assertSuccess();
        try (Tmux t = Tmux.start(f.dir.resolve("tmux-exec.sock"), "'" + f.dockerPath()
                + "' exec -it dcli-execit sh", f.env())) {
            t.await("/ #", Duration.ofSeconds(30));
            t.type("[ -t 0 ] && echo exec-$((7*6)) && ps | grep -c 'sleep 300'");
            t.await("exec-42", Duration.ofSeconds(10));
            t.type("exit");
            t.assertExit(0, Duration.ofSeconds(20));
        }
        assertEquals("running", docker.run("inspect", "-f", "{{.State.Status}}", "dcli-execit").assertSuccess()
                .stdout().strip());
    }

    @Test
    void copyIntoAStoppedContainerAndOutOfIt() throws IOException {
        docker.run("create", "--name", "dcli-cpstop", "busybox", "cat", "/tmp/in.txt").assertSuccess();
        Path file = Files.writeString(f.dir.resolve("stopped-in.txt"), "into a created container\n");
        docker.run("cp", file.toString(), "dcli-cpstop:/tmp/in.txt").assertSuccess();
        docker.run("start", "-a", "dcli-cpstop").assertSuccess();
        Path out = Files.createDirectories(f.dir.resolve("from-stopped"));
        docker.run("cp", "dcli-cpstop:/tmp/in.txt", out.toString()).assertSuccess();
        assertEquals("into a created container\n", Files.readString(out.resolve("in.txt")));
    }
}
