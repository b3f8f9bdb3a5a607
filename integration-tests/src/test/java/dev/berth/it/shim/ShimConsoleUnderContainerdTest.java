package dev.berth.it.shim;

import static dev.berth.it.shim.ContainerdFixture.IMAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.ConsoleSocket;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * berth-shim's stdio under real containerd 1.6: {@code ctr run -t} and {@code ctr task exec -t} on a pty of the
 * test's own (pty-run.py types a line; the window size is checked by ShimTaskServiceContract, since busybox
 * {@code stty size} under ctr sometimes failed here with "stty: standard input"), and {@code ctr run --log-uri}
 * with {@code file://} and {@code binary://} (a shell-script logger speaking containerd's logging protocol).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShimConsoleUnderContainerdTest {
    private ContainerdFixture containerd;
    private Path ptyRun;

    @BeforeAll
    void startContainerdAndImportImage() throws IOException {
        containerd = ContainerdFixture.start();
        ptyRun = containerd.dir().resolve("pty-run.py");
        try (InputStream in = ConsoleSocket.class.getResourceAsStream("pty-run.py")) {
            Files.copy(in, ptyRun);
        }
    }

    @AfterAll
    void stopContainerdAndCleanUp() throws IOException {
        if (containerd != null) {
            containerd.close();
        }
    }

    @Test
    void runTty_showsAPtyTypedInputAndTheExitCode() {
        String id = containerd.newId();
        String shown = onPty("ready>", "hello", "run", "--runtime", containerd.shim().toString(), "--fifo-dir",
                containerd.fifoDir().toString(), "-t", "--rm", IMAGE, id, "sh", "-c",
                "tty; echo 'ready>'; read line; echo \"got:$line\"; exit 5");
        assertTrue(shown.contains("/dev/pts/"), shown);
        assertTrue(shown.contains("got:hello\n"), shown);
        assertTrue(shown.endsWith("exit=5\n"), shown + "\ncontainerd log:\n" + containerd.log());
        containerd.assertNothingLeft(id);
    }

    @Test
    void execTty_inADetachedTask_hasAPtyOfItsOwn() {
        String id = containerd.newId();
        containerd.run("-d", IMAGE, id, "sleep", "300").assertSuccess();
        try {
            String shown = onPty("ready>", "typed", "tasks", "exec", "--fifo-dir", containerd.fifoDir().toString(),
                    "-t", "--exec-id", "tty1", id, "sh", "-c",
                    "tty; echo 'ready>'; read line; echo \"got:$line\"; exit 6");
            assertTrue(shown.contains("/dev/pts/"), shown);
            assertTrue(shown.contains("got:typed\n"), shown);
            assertTrue(shown.endsWith("exit=6\n"), shown + "\ncontainerd log:\n" + containerd.log());
        } finally {
            containerd.removeTask(id);
        }
    }

    @Test
    void runLogUri_file_appendsStdoutAndStderrToTheFile() throws IOException {
        String id = containerd.newId();
        Path log = containerd.dir().resolve("logs").resolve(id + ".log");
        CliResult r = containerd.ctr("run", "--runtime", containerd.shim().toString(), "--log-uri", "file://" + log,
                "--rm", IMAGE, id,
                "sh", "-c", "echo to-out; echo to-err >&2; exit 4");
        assertEquals(4, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
        assertEquals("to-out\nto-err\n", Files.readString(log));
        containerd.assertNothingLeft(id);
    }

    @Test
    void runLogUri_binary_feedsTheLoggerOnFds3And4WithItsEnvironment() throws IOException {
        String id = containerd.newId();
        Path out = Files.createDirectories(containerd.dir().resolve("logger-" + id));
        Path logger = containerd.dir().resolve("logger.sh");
        Files.writeString(logger, """
                #!/bin/sh
                # containerd's logging protocol: stdout on fd 3, stderr on fd 4, close fd 5 once ready
                dir="$2"
                echo "$1 id=$CONTAINER_ID ns=$CONTAINER_NAMESPACE" > "$dir/env"
                exec 5>&-
                cat <&3 > "$dir/stdout" &
                cat <&4 > "$dir/stderr"
                wait
                """);
        Files.setPosixFilePermissions(logger, PosixFilePermissions.fromString("rwx------"));
        CliResult r = containerd.ctr("run", "--runtime", containerd.shim().toString(), "--log-uri",
                "binary://" + logger + "?dir=" + out, "--rm", IMAGE, id, "sh", "-c",
                "echo to-out; echo to-err >&2; exit 3");
        assertEquals(3, r.exitCode(), r + "\ncontainerd log:\n" + containerd.log());
        Wait.until("logger wrote stderr", Duration.ofSeconds(10),
                () -> Files.exists(out.resolve("stderr")) && !read(out.resolve("stderr")).isEmpty());
        assertEquals("dir id=" + id + " ns=" + containerd.namespace() + "\n", Files.readString(out.resolve("env")));
        Wait.until("logger wrote stdout", Duration.ofSeconds(10), () -> read(out.resolve("stdout")).equals("to-out\n"));
        assertEquals("to-err\n", Files.readString(out.resolve("stderr")));
        containerd.assertNothingLeft(id);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs ctr on a pty of 33 rows and 101 columns, types {@code input} once {@code marker} shows. */
    private String onPty(String marker, String input, String... ctrArgs) {
        List<String> command = new ArrayList<>(List.of(ConsoleSocket.PYTHON.toString(), ptyRun.toString(), "33",
                "101", marker, input, "40", "/usr/bin/ctr", "-a", containerd.socket().toString(), "-n",
                containerd.namespace()));
        command.addAll(List.of(ctrArgs));
        CliResult r = containerd.commandLine().run(Duration.ofSeconds(60), command);
        assertEquals(0, r.exitCode(), r.toString());
        return r.stdout();
    }
}
