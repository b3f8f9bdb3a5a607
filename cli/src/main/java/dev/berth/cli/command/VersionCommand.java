package dev.berth.cli.command;

import dev.berth.cli.client.DaemonStubs;
import dev.berth.client.Berth;
import dev.berth.client.Results;
import java.io.PrintStream;
import picocli.CommandLine.Command;

/**
 * {@code berth version}'s server half (the client half is printed before this class is loaded); a plain
 * {@code berth version} calls {@link #printServer} without picocli.
 */
@Command(name = "version")
public final class VersionCommand extends BaseCommand {
    @Override
    int run(Berth berth) {
        printServer(berth, out);
        return 0;
    }

    /** The daemon's version, revision and UUID, in docker's layout. */
    public static void printServer(Berth berth, PrintStream out) {
        Results.Version v = berth.system().version();
        String uuid = new DaemonStubs(berth).introspection().server(com.google.protobuf.Empty.getDefaultInstance())
                .getUuid();
        out.println();
        out.println("Server:");
        out.println(" Version:      " + v.version());
        out.println(" Revision:     " + v.revision());
        out.println(" UUID:         " + uuid);
    }
}
