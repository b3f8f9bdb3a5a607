package dev.berth.cli.terminal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import sun.misc.Signal;

/**
 * The CLI's controlling terminal, driven through {@code stty} on the inherited stdin (the JDK has no termios):
 * raw mode for {@code run -t} and {@code exec -t}, its size, and SIGWINCH.
 */
public final class Terminal {
    private Terminal() {
    }

    /** Whether stdin and stdout are a terminal. */
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** Puts the terminal in raw mode without echo; closing restores the settings it had. */
    public static AutoCloseable raw() throws IOException {
        String saved = stty("-g").strip();
        stty("raw", "-echo");
        return () -> stty(saved);
    }

    /** {@code [rows, columns]}, if the terminal reports a size. */
    public static Optional<int[]> size() {
        try {
            String[] parts = stty("size").strip().split("\\s+");
            if (parts.length == 2) {
                return Optional.of(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
            }
        } catch (IOException | NumberFormatException e) {
            // no size to report: the pty keeps its default
        }
        return Optional.empty();
    }

    /** Runs {@code onResize} on every SIGWINCH. */
    public static void onResize(Runnable onResize) {
        Signal.handle(new Signal("WINCH"), s -> onResize.run());
    }

    private static String stty(String... args) throws IOException {
        String[] argv = new String[args.length + 1];
        argv[0] = "stty";
        System.arraycopy(args, 0, argv, 1, args.length);
        Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + ": exit status " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("stty interrupted", e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
