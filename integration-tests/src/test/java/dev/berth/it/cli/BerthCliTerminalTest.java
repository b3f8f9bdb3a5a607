package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.Wait;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code berth run -it busybox sh} is a working interactive shell: typed into and read from a tmux pane. */
class BerthCliTerminalTest extends BerthCliFixture {

    @Test
    void runIt_givesAnInteractiveShell() {
        String session = "berth-it-" + namespace;
        String command = argv("run", "-it", "--rm", busybox, "sh").stream().map(a -> "'" + a + "'")
                .collect(Collectors.joining(" "));
        try {
            tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command).assertSuccess();
            // keys typed before the shell runs would be echoed by the local terminal, not the container's pty
            awaitPane(session, "the shell's prompt", pane -> pane.contains("/ #"));
            tmux("send-keys", "-t", session, "echo hi-$((40+2)); busybox stty size", "Enter").assertSuccess();
            awaitPane(session, "hi-42 and the pty's size (the pane's)",
                    pane -> pane.contains("\nhi-42") && pane.contains("\n40 120"));
            tmux("send-keys", "-t", session, "exit", "Enter").assertSuccess();
            Wait.until("the session ended", Duration.ofSeconds(30),
                    () -> tmux("has-session", "-t", session).exitCode() != 0);
            assertEquals(List.of(), containerIds());
        } finally {
            tmux("kill-session", "-t", session);
        }
    }

    @Test
    void pullOnATerminal_drawsProgressBarsInPlace() throws Exception {
        String session = "berth-it-pull-" + namespace;
        java.nio.file.Path raw = testDir.resolve("pane.raw");
        String command = argv("pull", registry.host() + "/layers5:latest").stream().map(a -> "'" + a + "'")
                .collect(Collectors.joining(" "));
        try {
            tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40", "sh").assertSuccess();
            // the pane's raw bytes, escape sequences included: what capture-pane renders away
            tmux("pipe-pane", "-o", "-t", session, "cat >> '" + raw + "'").assertSuccess();
            tmux("send-keys", "-t", session, command, "Enter").assertSuccess();
            awaitPane(session, "the end of the pull", pane -> pane.contains("Status: Downloaded image"));
            String bytes = java.nio.file.Files.readString(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(bytes.contains("Downloading ["), "a bar in:\n" + bytes);
            assertTrue(java.util.regex.Pattern.compile("\033\\[\\d+A").matcher(bytes).find(),
                    "the cursor moved up to redraw in:\n" + bytes);
            String pane = tmux("capture-pane", "-p", "-t", session).stdout();
            assertFalse(pane.contains("Waiting"), "earlier states are drawn over, not listed:\n" + pane);
        } finally {
            tmux("kill-session", "-t", session);
        }
    }

    private void awaitPane(String session, String what, java.util.function.Predicate<String> condition) {
        new TmuxPane(commandLine).await(session, what, condition);
    }

    private CliResult tmux(String... args) {
        return new TmuxPane(commandLine).run(args);
    }
}
