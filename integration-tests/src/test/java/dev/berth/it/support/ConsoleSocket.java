package dev.berth.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A unix socket for {@code --console-socket} that receives the pty master, served by a small python3 helper
 * ({@code console-socket.py}) because a JVM cannot receive a descriptor by SCM_RIGHTS.
 */
public final class ConsoleSocket implements AutoCloseable {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Path socket;
    private final Background helper;

    private ConsoleSocket(Path socket, Background helper) {
        this.socket = socket;
        this.helper = helper;
    }

    /** Starts the helper in {@code dir}; {@code input} is typed into the terminal once it is received. */
    public static ConsoleSocket open(CommandLine commandLine, Path dir, String input) {
        Path script = dir.resolve("console-socket.py");
        try (InputStream in = ConsoleSocket.class.getResourceAsStream("console-socket.py")) {
            if (!Files.exists(script)) {
                Files.copy(in, script);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A short name: unix socket paths are limited to 108 bytes and temp dirs are long.
        Path socket = dir.resolve("c" + System.nanoTime() % 100000 + ".sock");
        Background helper = commandLine.start(List.of(PYTHON.toString(), script.toString(), socket.toString(),
                input), Map.of(), null);
        Wait.until("console socket " + socket, Duration.ofSeconds(10),
                () -> Files.exists(socket) || !helper.isAlive());
        if (!helper.isAlive()) {
            throw new AssertionError("console socket helper died: " + helper.stderr());
        }
        return new ConsoleSocket(socket, helper);
    }

    public Path path() {
        return socket;
    }

    /** What the container printed on its terminal so far. */
    public String output() {
        return helper.stdout();
    }

    /** Waits until the terminal closed (the process exited) and returns everything it printed. */
    public String awaitClosed(Duration timeout) {
        CliResult r = helper.await(timeout);
        if (r.exitCode() != 0) {
            throw new AssertionError("console socket helper failed: " + r);
        }
        return r.stdout();
    }

    /** Whether the helper received the descriptor (it says so on stderr). */
    public boolean received() {
        return helper.stderr().contains("received pty master");
    }

    @Override
    public void close() {
        helper.close();
    }
}
