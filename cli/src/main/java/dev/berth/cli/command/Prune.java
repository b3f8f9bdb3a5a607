package dev.berth.cli.command;

import dev.berth.cli.output.Human;
import dev.berth.client.Results;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** docker's prune conversation: the warning and its [y/N] question, and the report of what went. */
final class Prune {
    private Prune() {
    }

    /** Asks unless {@code force}; true to go on. */
    static boolean confirmed(boolean force, String warning, InputStream in, PrintStream out) throws IOException {
        if (force) {
            return true;
        }
        out.print(warning + "\nAre you sure you want to continue? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.strip().toLowerCase(Locale.ROOT).matches("y|yes");
    }

    /** {@code Deleted Containers:} and the ids, if any; the bytes freed. */
    static long report(String title, Results.Pruned pruned, PrintStream out) {
        if (!pruned.deleted().isEmpty()) {
            out.println(title);
            pruned.deleted().forEach(out::println);
            out.println();
        }
        return pruned.spaceReclaimed();
    }

    /** docker's {@code Deleted Images:} with an {@code untagged: …} or {@code deleted: …} line each; the bytes. */
    static long report(Results.ImagesPruned pruned, PrintStream out) {
        if (!pruned.items().isEmpty()) {
            out.println("Deleted Images:");
            pruned.items().forEach(i -> out.println((i.untagged() ? "untagged: " : "deleted: ") + i.name()));
            out.println();
        }
        return pruned.spaceReclaimed();
    }

    static void total(long bytes, PrintStream out) {
        out.println("Total reclaimed space: " + Human.size(bytes));
        out.flush();
    }
}
