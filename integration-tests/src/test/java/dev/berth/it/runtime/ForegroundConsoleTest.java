package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ConsoleSocket;
import dev.berth.it.support.ContainerTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code process.terminal} without {@code --console-socket} in the foreground: the runtime relays the pty itself,
 * as runc does for a person typing {@code run} at a terminal. The runtime runs on a pty of the test's own
 * (pty-run.py), which sets a window size and types a line.
 */
class ForegroundConsoleTest extends ContainerTest {
    private Path ptyRun;

    @BeforeEach
    void extractHelper() throws IOException {
        ptyRun = tmp.resolve("pty-run.py");
        try (InputStream in = ConsoleSocket.class.getResourceAsStream("pty-run.py")) {
            Files.copy(in, ptyRun);
        }
    }

    private String onPty(String marker, String input, List<String> runtimeArgs) {
        List<String> command = new ArrayList<>(List.of(ConsoleSocket.PYTHON.toString(), ptyRun.toString(), "33",
                "101", marker, input, "30"));
        command.addAll(runtimeArgs);
        CliResult r = commandLine.run(Duration.ofSeconds(60), command);
        assertEquals(0, r.exitCode(), r.toString());
        return r.stdout();
    }

    @Test
    void run_terminalInTheForeground_relaysThePtyWithItsSize() {
        // the size is asked for after the typing: runc finishes setting up its console concurrently with the
        // container's start, and a query at the very first instant once failed (stty: ECHILD) under full load
        Bundle b = newBundle().terminal(true).sh("tty; read line; stty size; echo \"got:$line\"; exit 7");
        String id = newId();
        b.writeConfig();
        runtime.track(id);
        String shown = onPty("/dev/pts/0", "hello", runtime.argv("run", "--bundle", b.dir().toString(), id));
        assertEquals("/dev/pts/0\nhello\n33 101\ngot:hello\nexit=7\n", shown);
    }

    @Test
    void execTty_inTheForeground_relaysAPtyOfItsOwn() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        String shown = onPty("ready", "typed", runtime.argv("exec", "--tty", id, "sh", "-c",
                "[ -t 0 ] && echo ready; read line; echo \"exec got:$line\""));
        assertEquals("ready\ntyped\nexec got:typed\nexit=0\n", shown);
    }
}
