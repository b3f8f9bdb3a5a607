package dev.berth.manager.image.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on 127.0.0.1 with a free port and filesystem storage in a
 * temp dir of its own, anonymous or behind htpasswd Basic auth; {@link #close()} stops the process it started (by
 * its PID, through {@link Process}) and deletes the dir.
 */
final class DockerRegistryProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration READY = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final Process process;
    /** A file outside the dir that close() removes too (the htpasswd file). */
    private Path alsoDelete;

    private DockerRegistryProcess(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    static DockerRegistryProcess anonymous() throws IOException {
        return start("");
    }

    /** Basic auth for one user, through an htpasswd file made by {@code htpasswd -Bbn}. */
    static DockerRegistryProcess htpasswd(String user, String password) throws IOException {
        Path file = Files.createTempFile("berth-htpasswd-", "");
        try {
            Process p = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectErrorStream(true).start();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new IOException("htpasswd failed: " + line);
            }
            Files.writeString(file, line + "\n");
            DockerRegistryProcess registry = start("""
                    auth:
                      htpasswd:
                        realm: berth-test
                        path: %s
                    """.formatted(file));
            registry.alsoDelete = file;
            return registry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running htpasswd", e);
        }
    }

    private static DockerRegistryProcess start(String auth) throws IOException {
        Path dir = Files.createTempDirectory("berth-registry-");
        try {
            // A port can be taken between probing and binding; a registry that exits at once gets another port.
            for (int attempt = 1; ; attempt++) {
                int port = freePort();
                Path config = Files.writeString(dir.resolve("config.yml"), """
                        version: 0.1
                        log:
                          level: warn
                          accesslog:
                            disabled: true
                        storage:
                          filesystem:
                            rootdirectory: %s
                          delete:
                            enabled: true
                        http:
                          addr: 127.0.0.1:%d
                          secret: berth-test-not-secret
                          relativeurls: true
                        %s""".formatted(dir.resolve("storage"), port, auth));
                Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("registry.log").toFile())
                        .start();
                DockerRegistryProcess registry = new DockerRegistryProcess(dir, port, process);
                if (registry.awaitReady()) {
                    return registry;
                }
                registry.stop();
                if (attempt == 3) {
                    throw new IOException("docker-registry did not start on 127.0.0.1:" + port + ": " + registry.log());
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT}, the host part of references. */
    String host() {
        return "127.0.0.1:" + port;
    }

    String log() throws IOException {
        Path log = dir.resolve("registry.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException {
        stop();
        deleteTree(dir);
        if (alsoDelete != null) {
            Files.deleteIfExists(alsoDelete);
        }
    }

    private boolean awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY.toNanos();
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    return false;
                }
                try {
                    int status = client.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200 || status == 401) {
                        return true;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for docker-registry", e);
        }
        throw new IOException("docker-registry not answering on " + host() + " after " + READY + ": " + log());
    }

    /** SIGTERM to the process this class started, SIGKILL if it lingers. */
    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
