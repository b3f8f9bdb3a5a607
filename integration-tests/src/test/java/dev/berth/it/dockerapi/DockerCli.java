package dev.berth.it.dockerapi;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Debian's docker client binary, unpacked once per build under {@code target/docker-cli} from the package
 * {@code apt-get download docker.io} fetches (never installed; dockerd is not kept), run with {@code DOCKER_HOST}
 * at a berthd's Docker API socket and a private {@code DOCKER_CONFIG}.
 */
final class DockerCli {

    private static final Duration CALL = Duration.ofSeconds(90);

    private final Path binary;
    private final Path socket;
    private final Path config;
    private final CommandLine commandLine;

    DockerCli(Path binary, Path socket, Path config, CommandLine commandLine) {
        this.binary = binary;
        this.socket = socket;
        this.config = config;
        this.commandLine = commandLine;
    }

    /** The client binary, unpacked from Debian's package into {@code cache} if it is not there yet. */
    static Path binary(Path cache) throws IOException, InterruptedException {
        Path docker = cache.resolve("docker");
        if (Files.isExecutable(docker)) {
            return docker;
        }
        Path work = Files.createDirectories(cache.resolve("work"));
        run(work, "apt-get", "download", "docker.io");
        Path deb;
        try (var list = Files.list(work)) {
            deb = list.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new IOException("apt-get download docker.io left no .deb in " + work));
        }
        Path tree = work.resolve("tree");
        run(work, "dpkg", "-x", deb.toString(), tree.toString());
        Files.copy(tree.resolve("usr/bin/docker"), docker);
        run(work, "rm", "-rf", tree.toString(), deb.toString());
        return docker;
    }

    private static void run(Path dir, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
    }

    CliResult run(String... args) {
        return runWithStdin(null, args);
    }

    CliResult runWithStdin(String stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of(binary.toString()));
        argv.addAll(Arrays.asList(args));
        return commandLine.run(CALL, argv, Map.of("DOCKER_HOST", "unix://" + socket, "DOCKER_CONFIG",
                config.toString()), stdin);
    }
}
