package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The CLI's streams: docker's detach keys typed into a tmux pane ({@code run -it}, {@code attach}, {@code exec -it}
 * with {@code --detach-keys}) leave the container running; stdin's end reaches {@code run -i} and {@code exec -i}
 * without any call of the CLI's own; {@code cp -a} gives the files the container's user.
 */
class BerthCliStdioTest extends BerthCliFixture {

    @Test
    void detachKeys_runAttachExec_leaveTheContainerRunning() throws Exception {
        String session = "berth-dk-" + namespace;
        Path status = testDir.resolve("status");
        try {
            tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "sh").assertSuccess();
            type(session, status, "run", "-it", "--name", "dk", busybox, "sh");
            awaitPane(session, "the shell's prompt", pane -> pane.contains("/ #"));
            tmux("send-keys", "-t", session, "C-p", "C-q").assertSuccess();
            assertEquals("0", awaitStatus(status), "docker's run returns 0 on a detach");
            assertTrue(running("dk"), "the container runs on after run's detach");

            type(session, status, "attach", "--detach-keys", "ctrl-x,y", "dk");
            Thread.sleep(1000);
            tmux("send-keys", "-t", session, "C-x", "y").assertSuccess();
            assertEquals("1", awaitStatus(status), "docker's attach exits 1 on a detach");
            awaitPane(session, "docker's message", pane -> pane.contains("read escape sequence"));
            assertTrue(running("dk"), "the container runs on after attach's detach");

            type(session, status, "exec", "-it", "--detach-keys", "ctrl-a", "dk", "sh");
            awaitPane(session, "the exec's prompt", pane -> pane.split("/ #", -1).length > 2);
            tmux("send-keys", "-t", session, "C-a").assertSuccess();
            assertEquals("1", awaitStatus(status));
            assertTrue(running("dk"));
        } finally {
            tmux("kill-session", "-t", session);
            berth("rm", "-f", "dk");
        }
    }

    @Test
    void stdinEnd_reachesRunAndExec() {
        CliResult run = commandLine.run(CALL, argv("run", "-i", "--rm", busybox, "cat"), Map.of(), "hi\n");
        assertEquals("hi\n", run.assertSuccess().stdout());
        berth("run", "-d", "--name", "ex", busybox, "sleep", "60").assertSuccess();
        CliResult exec = commandLine.run(CALL, argv("exec", "-i", "ex", "cat"), Map.of(), "in exec\n");
        assertEquals("in exec\n", exec.assertSuccess().stdout());
        berth("rm", "-f", "ex").assertSuccess();
    }

    @Test
    void cpArchive_givesTheFilesTheContainersUser() throws Exception {
        berth("create", "--name", "cpa", "-u", "nobody", busybox, "sleep", "60").assertSuccess();
        Path local = Files.writeString(testDir.resolve("f.txt"), "x\n");
        berth("cp", local.toString(), "cpa:/tmp/plain.txt").assertSuccess();
        berth("cp", "-a", local.toString(), "cpa:/tmp/archived.txt").assertSuccess();
        berth("start", "cpa").assertSuccess();
        assertEquals("0:0\n65534:65534\n", berth("exec", "cpa", "stat", "-c", "%u:%g", "/tmp/plain.txt",
                "/tmp/archived.txt").assertSuccess().stdout(), "cp keeps the local owner, cp -a the container user");
        berth("rm", "-f", "cpa").assertSuccess();
    }

    private boolean running(String name) {
        return berth("inspect", "-f", "{{.State.Running}}", name).assertSuccess().stdout().strip().equals("true");
    }

    /** Types {@code berth args; echo $? > status} into the pane's shell. */
    private void type(String session, Path status, String... args) throws Exception {
        Files.deleteIfExists(status);
        String command = argv(args).stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "))
                + "; echo $? > '" + status + "'";
        tmux("send-keys", "-t", session, command, "Enter").assertSuccess();
    }

    private String awaitStatus(Path status) throws Exception {
        Wait.until("the command's exit status", Duration.ofSeconds(30), () -> Files.exists(status)
                && !readQuietly(status).isBlank());
        return readQuietly(status).strip();
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private void awaitPane(String session, String what, java.util.function.Predicate<String> condition) {
        new TmuxPane(commandLine).await(session, what, condition);
    }

    private CliResult tmux(String... args) {
        return new TmuxPane(commandLine).run(args);
    }
}
