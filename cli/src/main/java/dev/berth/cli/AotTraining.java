package dev.berth.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The AOT cache's training run (cli/pom.xml, at package time): the CLI's real paths in one JVM, against a socket
 * where nothing listens (no berthd runs at build time): the usage and versions, then verbs whose flags are parsed
 * and whose first call fails to connect (the client, gRPC and Netty's epoll transport, Jackson for the run
 * configuration), each answered with exit code 125.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) {
        Map<String, String> env = Map.of("BERTH_ADDRESS", args[0], "PATH", System.getenv().getOrDefault("PATH", ""));
        PrintStream out = new PrintStream(OutputStream.nullOutputStream());
        int failures = 0;
        String[][] runs = {
            {"--help"}, {"--version"}, {"version"}, {"run", "--help"},
            {"ps", "-a", "--format", "table {{.ID}}\\t{{.Names}}\\t{{.Status}}"},
            {"run", "--rm", "-e", "A=1", "-v", "/data", "-p", "8080:80", "-m", "64m", "--cpus", "0.5", "--restart",
                "no", "--mount", "type=tmpfs,target=/t", "--health-cmd", "true", "--name", "aot", "busybox", "true"},
            {"run", "-d", "busybox", "true"}, {"logs", "-f", "aot"}, {"exec", "aot", "true"}, {"inspect", "aot"},
            {"stop", "aot"}, {"rm", "-f", "aot"}, {"images"}, {"pull", "busybox"}, {"volume", "ls"},
        };
        for (String[] run : runs) {
            int status = Main.run(run, env, out, out);
            if (status != 0 && status != 125) {
                failures++;
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
