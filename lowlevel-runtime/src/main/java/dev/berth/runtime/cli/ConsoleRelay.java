package dev.berth.runtime.cli;

import dev.berth.runtime.container.ConsoleSocket;
import dev.berth.sys.SocketSyscalls;
import dev.berth.sys.SyscallException;
import dev.berth.sys.TerminalSyscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The console of a foreground {@code run} or {@code exec} with a terminal and no {@code --console-socket}, as runc
 * relays it: berth-init sends the pty master over a socketpair; this process copies its stdin to the master and
 * the master to its stdout, with its own terminal (if any) in raw mode until the end.
 */
final class ConsoleRelay implements AutoCloseable {
    private final SocketSyscalls sys;
    private final TerminalSyscalls terminal;
    private final int[] pair;
    private int master = -1;
    private String savedTty;
    private Thread output;

    private ConsoleRelay(SocketSyscalls sys, TerminalSyscalls terminal, int[] pair) {
        this.sys = sys;
        this.terminal = terminal;
        this.pair = pair;
    }

    static ConsoleRelay open(SocketSyscalls sys, TerminalSyscalls terminal) {
        return new ConsoleRelay(sys, terminal, sys.socketpair());
    }

    /** The socket berth-init sends the master over. */
    ConsoleSocket socket() {
        return new ConsoleSocket.Connected(pair[1]);
    }

    /** Receives the master (the process is set up by now) and starts copying. */
    void attach() throws IOException, InterruptedException {
        master = sys.receiveFd(pair[0]);
        sys.close(pair[0]);
        sys.close(pair[1]);
        if (System.console() != null && System.console().isTerminal()) {
            savedTty = stty("-g").strip();
            String[] size = stty("size").strip().split(" ");
            if (size.length == 2) {
                terminal.setWindowSize(master, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
            }
            stty("raw", "-echo");
        }
        Thread input = Thread.ofPlatform().daemon().name("console-in").start(() -> copy(0, master));
        input.setUncaughtExceptionHandler((t, e) -> { });
        output = Thread.ofPlatform().daemon().name("console-out").start(() -> copy(master, 1));
    }

    /** Waits until the container side of the pty has closed and everything it wrote is out. */
    void drain() throws InterruptedException {
        if (output != null) {
            output.join(2000);
        }
    }

    private void copy(int from, int to) {
        byte[] buf = new byte[8192];
        try {
            while (true) {
                int n = sys.read(from, buf, 0, buf.length);
                if (n <= 0) {
                    return;
                }
                sys.writeFully(to, n == buf.length ? buf : java.util.Arrays.copyOf(buf, n));
            }
        } catch (SyscallException e) {
            // EIO on the master: every holder of the pty's other side has exited
        }
    }

    private static String stty(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(prepend("stty", args)).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static List<String> prepend(String first, String... rest) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all;
    }

    @Override
    public void close() throws IOException {
        if (savedTty != null) {
            try {
                stty(savedTty);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (master >= 0) {
            sys.close(master);
        } else {
            sys.close(pair[0]);
            sys.close(pair[1]);
        }
    }
}
