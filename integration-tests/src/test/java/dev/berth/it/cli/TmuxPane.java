package dev.berth.it.cli;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** tmux for the terminal tests: its commands, and waiting for what a session's pane shows. */
final class TmuxPane {
    private final CommandLine commandLine;

    TmuxPane(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    CliResult run(String... args) {
        List<String> argv = new ArrayList<>(List.of("tmux"));
        argv.addAll(List.of(args));
        return commandLine.run(Duration.ofSeconds(10), argv);
    }

    /** Waits up to 30 s until {@code session}'s pane satisfies {@code condition}; fails showing the pane. */
    void await(String session, String what, Predicate<String> condition) {
        try {
            Wait.until(what + " in the pane", Duration.ofSeconds(30),
                    () -> condition.test(run("capture-pane", "-p", "-t", session).stdout()));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the pane:\n" + run("capture-pane", "-p", "-t", session)
                    .stdout(), e);
        }
    }
}
