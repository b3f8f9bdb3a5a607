package dev.berth.cli.command;

import dev.berth.cli.client.CliException;
import dev.berth.client.DaemonException;
import java.io.PrintStream;
import java.util.List;

/** docker's verbs over several containers: each is tried, each failure printed, the exit code 125 if any failed. */
final class Refs {
    /** The work done for one container; may throw {@link DaemonException}. */
    interface Action {
        void apply(String ref) throws Exception;
    }

    private Refs() {
    }

    static int each(List<String> refs, PrintStream out, PrintStream err, Action action) throws Exception {
        int failed = 0;
        for (String ref : refs) {
            try {
                action.apply(ref);
                out.println(ref);
            } catch (DaemonException e) {
                if (e.unreachable()) {
                    throw e;
                }
                err.println("Error response from daemon: " + e.getMessage());
                failed++;
            }
        }
        out.flush();
        return failed == 0 ? 0 : CliException.DAEMON;
    }
}
