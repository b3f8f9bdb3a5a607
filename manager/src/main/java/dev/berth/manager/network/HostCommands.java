package dev.berth.manager.network;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host tools networking drives ({@code ip}, {@code iptables}), run in the calling thread's network namespace
 * as typed calls, as CNI's portmap drives iptables. A failing tool is INTERNAL naming the command and its output.
 */
class HostCommands {

    /** What a command printed and how it ended. */
    record Output(int status, String text) {
        boolean ok() {
            return status == 0;
        }
    }

    /** Runs {@code argv}; never throws for a non-zero status. */
    Output run(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String text;
            try (InputStream in = p.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Output(-1, "timed out");
            }
            return new Output(p.exitValue(), text);
        } catch (IOException e) {
            return new Output(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.unavailable(String.join(" ", argv) + ": interrupted");
        }
    }

    /** Runs {@code argv}; INTERNAL if it fails. */
    String check(List<String> argv) {
        Output out = run(argv);
        if (!out.ok()) {
            throw BerthException.internal(String.join(" ", argv) + ": " + out.text().strip());
        }
        return out.text();
    }
}
