package dev.berth.it.dockerapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program on a real terminal: a tmux server of its own (its socket in the test's dir), one session running the
 * command, keys typed with {@code send-keys} and the screen read with {@code capture-pane}. {@link #close()} ends
 * that server.
 */
final class Tmux implements AutoCloseable {

    private static final String SESSION = "t";
    private final Path socket;

    private Tmux(Path socket) {
        this.socket = socket;
    }

    /** Runs {@code command} (a shell line) with {@code env} on a new 120×30 terminal. */
    static Tmux start(Path socket, String command, Map<String, String> env) throws IOException {
        Tmux t = new Tmux(socket);
        StringBuilder line = new StringBuilder("exec env");
        env.forEach((k, v) -> line.append(' ').append(k).append("='").append(v).append('\''));
        line.append(' ').append(command);
        t.tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "30", line.toString());
        t.tmux("set-option", "-t", SESSION, "remain-on-exit", "on");
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

    /** Waits until the command exited; returns its exit status. */
    int awaitExit(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String[] dead = tmux("display-message", "-p", "-t", SESSION, "#{pane_dead} #{pane_dead_status}")
                    .strip().split(" ");
            if (dead[0].equals("1") && dead.length > 1) { // a dead pane's status can lag its death
                return Integer.parseInt(dead[1]);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("terminal's command still running:\n" + screen());
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
