package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ConsoleSocket;
import dev.berth.it.support.ContainerTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code process.terminal} with {@code --console-socket}: the runtime sends the pty master to the caller. */
class ConsoleTest extends ContainerTest {

    @Test
    void create_withTerminal_sendsPtyMasterAndProcessHasTty() {
        try (ConsoleSocket console = ConsoleSocket.open(commandLine, tmp, "")) {
            Bundle b = newBundle().terminal(true)
                    .sh("tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-stdio-are-ttys");
            String id = newId();
            runtime.create(id, b, "--console-socket", console.path().toString()).assertSuccess();
            runtime.start(id).assertSuccess();
            String out = console.awaitClosed(Duration.ofSeconds(20)).replace("\r", "");
            assertTrue(out.startsWith("/dev/pts/0\n"), out);
            assertTrue(out.contains("all-stdio-are-ttys"), out);
        }
    }

    @Test
    void create_terminalForANonRootUser_theUserOwnsItsPty() {
        try (ConsoleSocket console = ConsoleSocket.open(commandLine, tmp, "")) {
            Bundle b = newBundle().terminal(true).user(1000, 1000).sh("stat -c owner=%u:%g $(tty)");
            String id = newId();
            runtime.create(id, b, "--console-socket", console.path().toString()).assertSuccess();
            runtime.start(id).assertSuccess();
            String out = console.awaitClosed(Duration.ofSeconds(20)).replace("\r", "");
            assertTrue(out.contains("owner=1000:"), out);
        }
    }

    @Test
    void terminal_inputReachesProcess() {
        try (ConsoleSocket console = ConsoleSocket.open(commandLine, tmp, "hello terminal\n")) {
            Bundle b = newBundle().terminal(true).sh("read line; echo \"got:$line\"");
            String id = newId();
            runtime.create(id, b, "--console-socket", console.path().toString()).assertSuccess();
            runtime.start(id).assertSuccess();
            String out = console.awaitClosed(Duration.ofSeconds(20)).replace("\r", "");
            assertTrue(out.contains("got:hello terminal\n"), out);
        }
    }

    @Test
    void runDetach_withTerminal_usesConsoleSocket() {
        try (ConsoleSocket console = ConsoleSocket.open(commandLine, tmp, "")) {
            String id = newId();
            runtime.run(id, newBundle().terminal(true).sh("echo detached-tty; tty"), "--detach",
                    "--console-socket", console.path().toString()).assertSuccess();
            String out = console.awaitClosed(Duration.ofSeconds(20)).replace("\r", "");
            assertEquals("detached-tty\n/dev/pts/0\n", out);
        }
    }

    @Test
    void execTty_withConsoleSocket_getsItsOwnPty() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        try (ConsoleSocket console = ConsoleSocket.open(commandLine, tmp, "")) {
            CliResult r = runtime.execWith(List.of("--tty", "--detach", "--console-socket",
                    console.path().toString()), id, "sh", "-c", "tty; echo exec-tty").assertSuccess();
            String out = console.awaitClosed(Duration.ofSeconds(20)).replace("\r", "");
            assertTrue(out.matches("/dev/pts/\\d+\nexec-tty\n"), out + r);
        }
    }

    @Test
    void create_terminalWithoutConsoleSocket_fails() {
        CliResult r = runtime.create(newId(), newBundle().terminal(true).args("true")).assertFailure();
        assertTrue(r.output().contains("console-socket") || r.output().contains("console socket"), r.toString());
    }
}
