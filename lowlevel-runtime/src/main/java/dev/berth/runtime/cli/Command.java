package dev.berth.runtime.cli;

import java.io.IOException;
import java.util.List;

/** One verb of the command line: parses its flags, calls the library once, prints, returns the exit status. */
interface Command {
    int run(Context ctx, List<String> argv) throws IOException, InterruptedException;

    /** The single container id a verb takes as its first argument. */
    static String requireId(Flags.Parsed p, String verb) {
        if (p.args().isEmpty()) {
            throw new Flags.UsageException("\"" + verb + "\" requires a container id");
        }
        return p.args().getFirst();
    }

    static void requireArgs(Flags.Parsed p, String verb, int min, int max) {
        if (p.args().size() < min || p.args().size() > max) {
            throw new Flags.UsageException("\"" + verb + "\" requires " + (min == max ? "exactly " + min
                    : min + " to " + max) + " argument(s)");
        }
    }
}
