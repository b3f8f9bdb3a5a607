package dev.berth.cli;

import dev.berth.cli.command.Session;
import java.io.PrintStream;

/**
 * {@code berth version}: the client's half is printed before anything of gRPC is loaded; the server's half is
 * {@code VersionCommand}'s, which connects.
 */
final class Version {
    private Version() {
    }

    static int print(Session session, PrintStream out, PrintStream err) {
        StringBuilder sb = new StringBuilder();
        sb.append("Client:\n Version:      ").append(Main.CLIENT_VERSION)
                .append("\n Java version: ").append(Runtime.version())
                .append("\n OS/Arch:      linux/").append(System.getProperty("os.arch")).append('\n');
        out.print(sb);
        out.flush();
        return Dispatch.execute("version", new String[0], session, out, err);
    }
}
