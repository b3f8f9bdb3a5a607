package dev.berth.cli;

import dev.berth.cli.command.Session;
import dev.berth.cli.command.VersionCommand;
import dev.berth.client.Berth;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * {@code berth version}: the client's half is printed before anything of gRPC is loaded; the server's half is
 * {@code VersionCommand}'s, called directly: a plain {@code version} has no flags for picocli to parse, and
 * picocli's model of a command (its classes are too old for the AOT cache) cost a third of the call.
 */
final class Version {
    private Version() {
    }

    static int print(Session session, PrintStream out, PrintStream err) {
        StringBuilder sb = new StringBuilder();
        sb.append("Client:\n Version:      ").append(Main.CLIENT_VERSION)
                // the property, not Runtime.version(): its toString joins with streams, four lambdas spun at run time
                .append("\n Java version: ").append(System.getProperty("java.runtime.version"))
                .append("\n OS/Arch:      linux/").append(System.getProperty("os.arch")).append('\n');
        out.print(sb);
        out.flush();
        // protobuf's first message class checks the runtime's version in its static initialiser (a String.format that
        // loads the JDK's locale data): done here, while the session's client connects on its own thread
        com.google.protobuf.Empty.getDefaultInstance();
        try (Berth berth = session.connect()) {
            VersionCommand.printServer(berth, out);
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            return Dispatch.report(e, "version", session, new PrintWriter(err, true));
        }
    }
}
