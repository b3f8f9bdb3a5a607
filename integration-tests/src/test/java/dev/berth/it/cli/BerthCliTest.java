package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.testsupport.Json;
import dev.berth.it.support.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each {@code berth} command's output, exit codes and errors, as docker users expect them: the container's exit
 * code for {@code run}, 125 when the daemon or the CLI fails, 127 when the command is not found.
 */
class BerthCliTest extends BerthCliFixture {
    /** pid 1 ignores signals it has no handler for: the trap makes SIGTERM end it with status 3. */
    private static final String TRAPPING = "echo started; trap 'echo bye; exit 3' TERM; "
            + "while true; do sleep 1000 & wait; done";

    @Test
    void runRm_printsOutputAndLeavesNoContainer() {
        CliResult r = berth("run", "--rm", busybox, "echo", "hello").assertSuccess();
        assertEquals("hello\n", r.stdout());
        assertEquals(List.of(), containerIds());
    }

    @Test
    void run_createsUnderALeaseItDeletesAfterwards() {
        berth("run", "--name", "leased", busybox, "true").assertSuccess();
        assertEquals("", ctr.run("leases", "ls", "-q").assertSuccess().stdout().strip(),
                "the lease over Prepare and Create is gone; the container holds its snapshot");
        // the engine keys the rootfs snapshot by the container's id, as docker's containerd integration does
        String id = berth("inspect", "--format", "{{.Id}}", "leased").assertSuccess().stdout().strip();
        assertTrue(ctr.run("snapshots", "ls").assertSuccess().stdout().contains(id));
    }

    @Test
    void run_exitCodeIsTheContainers() {
        assertEquals(42, berth("run", "--rm", busybox, "sh", "-c", "exit 42").exitCode());
    }

    @Test
    void run_optionsReachTheContainer() {
        CliResult r = berth("run", "--rm", "-e", "GREETING=hi", "-w", "/tmp", "-u", "1000:1000", "--hostname",
                "box", busybox, "sh", "-c", "echo $GREETING $(pwd) $(id -u):$(id -g) $(hostname)").assertSuccess();
        assertEquals("hi /tmp 1000:1000 box\n", r.stdout());
        CliResult ro = berth("run", "--rm", "--read-only", busybox, "sh", "-c", "touch /x");
        assertTrue(ro.exitCode() != 0, ro.toString());
    }

    @Test
    void run_stdinIsForwardedWithDashI() {
        CliResult r = commandLine.run(CALL, argv("run", "-i", "--rm", busybox, "wc", "-c"), Map.of(), "abc\n");
        assertEquals("4", r.assertSuccess().stdout().strip());
    }

    @Test
    void detached_psLogsExecStopRm() throws Exception {
        CliResult run = berth("run", "-d", "--name", "c1", busybox, "sh", "-c", TRAPPING).assertSuccess();
        // docker prints the full id of a detached container, and ps -q its short form
        String id = run.stdout().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals(List.of(id.substring(0, 12)), lines(berth("ps", "-q").assertSuccess().stdout()));
        assertEquals(List.of("c1"), lines(berth("ps", "--format", "{{.Names}}").assertSuccess().stdout()));
        Wait.until("c1 logs 'started'", Duration.ofSeconds(10),
                () -> berth("logs", "c1").stdout().contains("started"));
        assertEquals("in-exec\n", berth("exec", "c1", "echo", "in-exec").assertSuccess().stdout());
        assertEquals(7, berth("exec", "c1", "sh", "-c", "exit 7").exitCode());

        berth("stop", "c1").assertSuccess();
        assertEquals(List.of(), lines(berth("ps", "-q").assertSuccess().stdout()));
        String ps = berth("ps", "-a").assertSuccess().stdout();
        assertTrue(ps.contains("Exited (3)"), ps);
        assertTrue(berth("logs", "c1").stdout().contains("bye"));

        berth("rm", "c1").assertSuccess();
        assertEquals(List.of(), containerIds());
    }

    @Test
    void kill_endsTheContainerAndRefusesAStoppedOne() {
        String id = berth("run", "-d", busybox, "sleep", "1000").assertSuccess().stdout().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        berth("kill", id.substring(0, 6)).assertSuccess();
        Wait.until("exited", Duration.ofSeconds(10), () -> berth("ps", "-a").stdout().contains("Exited (137)"));
        CliResult again = berth("kill", "-s", "TERM", id);
        assertEquals(125, again.exitCode(), again.toString());
        assertTrue(again.stderr().contains("is not running"), again.toString());
        berth("rm", id).assertSuccess();
    }

    @Test
    void startAndRestart_runTheContainerAgain() {
        berth("run", "-d", "--name", "again", busybox, "sh", "-c", "echo run; sleep 1000").assertSuccess();
        berth("stop", "-t", "1", "again").assertSuccess();
        berth("start", "again").assertSuccess();
        Wait.until("second run logged", Duration.ofSeconds(10),
                () -> berth("logs", "again").stdout().equals("run\nrun\n"));
        assertEquals(List.of("again"), lines(berth("ps", "--format", "{{.Names}}").stdout()));
        berth("restart", "-t", "1", "again").assertSuccess();
        Wait.until("third run logged", Duration.ofSeconds(10),
                () -> berth("logs", "again").stdout().equals("run\nrun\nrun\n"));
        assertEquals(List.of("again"), lines(berth("ps", "--format", "{{.Names}}").stdout()));
        berth("rm", "-f", "again").assertSuccess();
    }

    @Test
    void rm_refusesARunningContainerUnlessForced() {
        berth("run", "-d", "--name", "busy", busybox, "sleep", "1000").assertSuccess();
        CliResult refused = berth("rm", "busy");
        assertEquals(125, refused.exitCode(), refused.toString());
        assertTrue(refused.stderr().contains("running container"), refused.toString());
        berth("rm", "-f", "busy").assertSuccess();
        assertEquals(List.of(), containerIds());
    }

    @Test
    void unknownImage_exits125WithAClearMessage() {
        CliResult r = berth("run", "--rm", "127.0.0.1:1/nosuchimage:1", "true");
        assertEquals(125, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("Unable to find image '127.0.0.1:1/nosuchimage:1' locally"), r.toString());
        assertEquals(List.of(), containerIds());
        CliResult rmi = berth("rmi", "nosuchimage");
        assertEquals(125, rmi.exitCode(), rmi.toString());
        assertTrue(rmi.stderr().contains("No such image: nosuchimage"), rmi.toString());
    }

    @Test
    void unknownContainer_exits125NoSuchContainer() {
        for (List<String> args : List.of(List.of("logs", "nope"), List.of("stop", "nope"), List.of("rm", "nope"),
                List.of("exec", "nope", "true"), List.of("kill", "nope"), List.of("start", "nope"))) {
            CliResult r = berth(args.toArray(String[]::new));
            assertEquals(125, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("No such container: nope"), r.toString());
        }
    }

    @Test
    void unknownFlag_exits125() {
        for (List<String> args : List.of(List.of("run", "--no-such-flag", busybox), List.of("ps", "--bogus"),
                List.of("frobnicate"), List.of("run"))) {
            CliResult r = berth(args.toArray(String[]::new));
            assertEquals(125, r.exitCode(), r.toString());
            assertFalse(r.stderr().isBlank(), r.toString());
        }
    }

    @Test
    void unreachableDaemon_exits125() {
        CliResult r = commandLine.run(CALL, List.of(REPO.resolve("bin/berth").toString(), "--address",
                testDir.resolve("absent.sock").toString(), "ps"));
        assertEquals(125, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("Cannot connect to the berth daemon"), r.toString());
    }

    @Test
    void missingBinary_exits127ForRunAndExec() {
        CliResult run = berth("run", "--rm", busybox, "no-such-binary");
        assertEquals(127, run.exitCode(), run.toString());
        assertEquals(List.of(), containerIds());
        // docker's names have two characters at least
        berth("run", "-d", "--name", "xx", busybox, "sleep", "1000").assertSuccess();
        CliResult exec = berth("exec", "xx", "no-such-binary");
        assertEquals(127, exec.exitCode(), exec.toString());
        berth("rm", "-f", "xx").assertSuccess();
    }

    @Test
    void formatJson_imagesAndPsParse() {
        berth("run", "-d", "--name", "jj", busybox, "sleep", "1000").assertSuccess();
        List<String> ps = lines(berth("ps", "--format", "json").assertSuccess().stdout());
        assertEquals(1, ps.size(), ps.toString());
        Map<String, Object> row = Json.parseObject(ps.getFirst());
        // docker's ID column is the short id; the name is in Names
        assertEquals("jj", row.get("Names"));
        assertTrue(String.valueOf(row.get("ID")).matches("[0-9a-f]{12}"), row.toString());
        assertEquals("running", row.get("State"));

        List<String> imgs = lines(berth("images", "--format", "json").assertSuccess().stdout());
        assertEquals(1, imgs.size(), imgs.toString());
        Map<String, Object> image = Json.parseObject(imgs.getFirst());
        assertEquals("latest", image.get("Tag"));
        assertEquals(images.busybox().config().digest().substring(7, 19), image.get("ID"));
        berth("rm", "-f", "jj").assertSuccess();
    }

    @Test
    void images_tagRmiInspect() {
        String table = berth("images").assertSuccess().stdout();
        assertTrue(table.startsWith("REPOSITORY"), table);
        assertTrue(table.contains(registry.host() + "/busybox"), table);
        berth("tag", busybox, "mine:1").assertSuccess();
        assertTrue(berth("images").stdout().contains("mine"));
        List<Object> inspected = Json.parseArray(berth("inspect", "mine:1").assertSuccess().stdout());
        assertEquals(images.busybox().config().digest(), ((Map<?, ?>) inspected.getFirst()).get("Id"));
        berth("rmi", "mine:1").assertSuccess();
        assertFalse(berth("images").stdout().contains("mine"));
    }

    @Test
    void versionAndInfo_reachTheDaemon() {
        assertTrue(berth("version").assertSuccess().stdout().contains("Server:"));
        String info = berth("info").assertSuccess().stdout();
        assertTrue(info.contains("Namespace: " + namespace), info);
    }
}
