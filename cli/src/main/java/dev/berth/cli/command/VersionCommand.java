package dev.berth.cli.command;

import com.google.protobuf.Empty;
import dev.berth.api.services.version.v1.VersionResponse;
import dev.berth.cli.client.Berth;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth version}: the client's and berthd's versions. */
@Command(name = "version", description = "Show the Berth version information")
public final class VersionCommand extends BaseCommand {
    static final String CLIENT_VERSION = "0.1.0-SNAPSHOT";

    /** {@code berth --version}. */
    public static final class ClientVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"berth version " + CLIENT_VERSION};
        }
    }

    @Override
    int run(Berth berth) {
        System.out.println("Client:");
        System.out.println(" Version:      " + CLIENT_VERSION);
        System.out.println(" Java version: " + Runtime.version());
        System.out.println(" OS/Arch:      linux/" + System.getProperty("os.arch"));
        System.out.flush();
        VersionResponse v = berth.version().version(Empty.getDefaultInstance());
        String uuid = berth.introspection().server(Empty.getDefaultInstance()).getUuid();
        System.out.println();
        System.out.println("Server:");
        System.out.println(" Version:      " + v.getVersion());
        System.out.println(" Revision:     " + v.getRevision());
        System.out.println(" UUID:         " + uuid);
        return 0;
    }
}
