package dev.berth.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The AOT cache's training run (cli/pom.xml, at package time): the CLI's real paths in one JVM. First against
 * {@link AotTrainingDaemon}, a stand-in for berthd on a unix socket (version, and {@code run --rm} through create,
 * attach, wait and start; the other verbs' first call answered UNIMPLEMENTED, exit code 125), then against a
 * socket where nothing listens (the unreachable-daemon path). Exit codes 0, 1 and 125 are a verb's normal ends.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Path socket = dir.resolve("aot-training.sock");
        Files.deleteIfExists(socket);
        PrintStream out = new PrintStream(OutputStream.nullOutputStream());
        String path = System.getenv().getOrDefault("PATH", "");
        int failures = 0;
        String[][] runs = {
            {"--help"}, {"--version"}, {"version"}, {"version"}, {"run", "--help"},
            {"run", "--rm", "busybox", "true"}, {"run", "--rm", "busybox", "true"},
            {"ps", "-a", "--format", "table {{.ID}}\\t{{.Names}}\\t{{.Status}}"},
            {"run", "--rm", "-e", "A=1", "-v", "/data", "-p", "8080:80", "-m", "64m", "--cpus", "0.5", "--restart",
                "no", "--mount", "type=tmpfs,target=/t", "--health-cmd", "true", "--name", "aot", "busybox", "true"},
            {"run", "-d", "busybox", "true"}, {"logs", "-f", "aot"}, {"exec", "aot", "true"}, {"inspect", "aot"},
            {"stop", "aot"}, {"rm", "-f", "aot"}, {"images"}, {"pull", "busybox"}, {"volume", "ls"},
        };
        // a build's client half: the context read, filtered by .dockerignore and tarred into the upload (the stand-in
        // has no build service, so the call ends there with an error)
        Path context = Files.createDirectories(dir.resolve("build-context"));
        Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nCOPY . /app\nRUN true\n");
        Files.writeString(context.resolve(".dockerignore"), "*.tmp\n");
        Files.writeString(context.resolve("file.txt"), "context\n");
        String[][] builds = {
            {"build", "-q", "-t", "aot", context.toString()}, {"build", "-t", "aot", context.toString()},
        };
        try (AotTrainingDaemon daemon = AotTrainingDaemon.serve(socket)) {
            Map<String, String> env = Map.of("BERTH_ADDRESS", socket.toString(), "PATH", path);
            for (String[] run : runs) {
                failures += check(run, Main.run(run, env, out, out));
            }
            for (String[] build : builds) {
                failures += check(build, Main.run(build, env, out, out));
            }
        }
        Map<String, String> absent = Map.of("BERTH_ADDRESS", dir.resolve("absent.sock").toString(), "PATH", path);
        for (String[] run : new String[][] {{"version"}, {"run", "--rm", "busybox", "true"}, {"ps"}}) {
            failures += check(run, Main.run(run, absent, out, out));
        }
        Files.deleteIfExists(socket);
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int check(String[] run, int status) {
        if (status == 0 || status == 1 || status == 125) {
            return 0;
        }
        System.err.println("aot training: berth " + String.join(" ", run) + ": exit code " + status);
        return 1;
    }
}
