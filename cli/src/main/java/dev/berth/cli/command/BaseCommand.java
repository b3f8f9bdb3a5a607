package dev.berth.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.cli.client.Berth;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** What every command does around its own work: connect with the root's options, call, close. */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    Session session;

    @picocli.CommandLine.Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    final ObjectMapper json = new ObjectMapper();

    @Override
    public final Integer call() throws Exception {
        try (Berth berth = session.connect()) {
            return run(berth);
        }
    }

    /** The command's work; its exit code. */
    abstract int run(Berth berth) throws Exception;
}
