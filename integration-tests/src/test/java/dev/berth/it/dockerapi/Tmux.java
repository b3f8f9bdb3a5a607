package dev.berth.it.dockerapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program on a real terminal: a tmux server of its own (its socket in the test's dir), one session running the
 * command, keys typed with {@code send-keys} and the screen read with {@code capture-pane}. {@link #close()} ends
 * that server.
 */
final class Tmux implements AutoCloseable {

    private static final String SESSION = "t";
    private static final Pattern EXITED = Pattern.compile("^\\[exited with (\\d+)]$", Pattern.MULTILINE);
    private final Path socket;

    private Tmux(Path socket) {
        this.socket = socket;
    }

    /**
     * Runs {@code command} (a shell line) with {@code env} on a new 120×30 terminal. The command runs under a small
     * shell script that prints its exit status and exits with it: a command killed by a signal then still leaves a
     * status (128 + the signal) on the screen and in the pane, where tmux alone reports none.
     */
    static Tmux start(Path socket, String command, Map<String, String> env) throws IOException {
        Tmux t = new Tmux(socket);
        Path script = socket.resolveSibling(socket.getFileName() + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + command + "\nstatus=$?\necho \"[exited with $status]\"\n"
                + "exit $status\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        StringBuilder line = new StringBuilder("exec env");
        env.forEach((k, v) -> line.append(' ').append(k).append("='").append(v).append('\''));
        line.append(" '").append(script).append('\'');
        t.tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "30", line.toString());
        t.tmux("set-option", "-t", SESSION, "remain-on-exit", "on"); // the screen stays readable after the exit
        return t;
    }

    void type(String keys) throws IOException {
        tmux("send-keys", "-t", SESSION, "-l", keys);
        tmux("send-keys", "-t", SESSION, "Enter");
    }

    String screen() throws IOException {
        return tmux("capture-pane", "-p", "-t", SESSION);
    }

    /** Waits until the screen shows {@code text}; fails with the screen after {@code timeout}. */
    String await(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = screen();
        while (!screen.contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("terminal never showed \"" + text + "\":\n" + screen);
            }
            Thread.sleep(100);
            screen = screen();
        }
        return screen;
    }

    /**
     * Waits until the command exited and checks its exit status (128 + the signal if a signal ended it), read from
     * the line the script prints; fails with the screen. tmux's own {@code pane_dead_status} is not used: in full
     * suite runs tmux 3.3a showed panes dead, with the script's line printed, and no status for 20 s.
     */
    void assertExit(int expected, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = screen();
        Matcher m = EXITED.matcher(screen);
        while (!m.find()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("terminal's command did not exit within " + timeout + ":\n" + screen);
            }
            Thread.sleep(100);
            screen = screen();
            m = EXITED.matcher(screen);
        }
        if (Integer.parseInt(m.group(1)) != expected) {
            throw new AssertionError("terminal's command exited with " + m.group(1) + ", expected " + expected
                    + ":\n" + screen);
        }
    }

    private String tmux(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", argv), e);
        }
        return out;
    }

    /** Ends this tmux server (only ours: it is addressed by its own socket). */
    @Override
    public void close() throws IOException {
        try {
            tmux("kill-server");
        } catch (IOException e) {
            // already gone with its last session
        }
    }
}
