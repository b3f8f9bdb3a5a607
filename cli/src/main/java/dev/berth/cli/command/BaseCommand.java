package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/** What every command does around its own work: connect with the global options, call, close. */
public abstract class BaseCommand implements Callable<Integer> {
    Session session;

    @picocli.CommandLine.Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    /** Set by the dispatcher's factory before the command runs. */
    public void session(Session s) {
        this.session = s;
    }

    final PrintStream out = System.out;
    final PrintStream err = System.err;

    @Override
    public final Integer call() throws Exception {
        try (Berth berth = session.connect()) {
            return run(berth);
        }
    }

    /** The command's work; its exit code. */
    abstract int run(Berth berth) throws Exception;
}
