package dev.berth.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on 127.0.0.1 with a free port and filesystem storage in a
 * temp dir of its own, with one of three {@link Auth} modes: anonymous, htpasswd Basic, or Bearer tokens (a
 * {@link RegistryFront} token realm in front of an anonymous registry). {@link #close()} stops the process it
 * started (by its PID, through {@link Process}) and deletes the dir with the storage, config, htpasswd and log.
 */
public final class LocalRegistry implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration READY = Duration.ofSeconds(30);

    /** How clients authenticate. */
    public sealed interface Auth {
        /** No authentication: anyone may pull and push. */
        record Anonymous() implements Auth {}

        /** The registry's own htpasswd auth: HTTP Basic with one user (bcrypt, as the registry requires). */
        record Basic(String user, String password) implements Auth {}

        /**
         * The token flow: a {@link RegistryFront} on {@link #host()} challenges with {@code Bearer realm=…}, hands
         * tokens for the asked scopes to the one user (Basic) and proxies to the anonymous registry behind it.
         */
        record Bearer(String user, String password) implements Auth {}
    }

    private final TempDir dir;
    private final int port;
    private final Process process;
    /** Talks to the registry process itself (behind a token front, anonymously). */
    private final RegistryClient client;
    private final Optional<RegistryFront> front;

    private LocalRegistry(TempDir dir, int port, Process process, RegistryClient client,
                          Optional<RegistryFront> front) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.client = client;
        this.front = front;
    }

    public static LocalRegistry anonymous() throws IOException {
        return start(new Auth.Anonymous());
    }

    public static LocalRegistry basic(String user, String password) throws IOException {
        return start(new Auth.Basic(user, password));
    }

    public static LocalRegistry bearer(String user, String password) throws IOException {
        return start(new Auth.Bearer(user, password));
    }

    /** Starts a registry under a new temp dir and waits until {@code /v2/} answers. */
    public static LocalRegistry start(Auth auth) throws IOException {
        TempDir dir = TempDir.create("berth-registry-");
        try {
            Optional<String> authorization = auth instanceof Auth.Basic b
                    ? Optional.of("Basic " + Base64.getEncoder().encodeToString(
                            (b.user() + ":" + b.password()).getBytes(StandardCharsets.UTF_8)))
                    : Optional.empty();
            // A port can be taken between probing and binding; a registry that exits at once gets another port.
            for (int attempt = 1; ; attempt++) {
                int port = freePort();
                Path config = writeConfig(dir.path(), port, auth);
                Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.path().resolve("registry.log").toFile())
                        .start();
                RegistryClient client = new RegistryClient(URI.create("http://127.0.0.1:" + port), authorization);
                if (awaitReady(process, client, port, dir.path())) {
                    Optional<RegistryFront> front = Optional.empty();
                    if (auth instanceof Auth.Bearer b) {
                        try {
                            front = Optional.of(RegistryFront.bearer("127.0.0.1:" + port, b.user(), b.password()));
                        } catch (IOException e) {
                            stop(process);
                            throw e;
                        }
                    }
                    return new LocalRegistry(dir, port, process, client, front);
                }
                stop(process);
                if (attempt == 3) {
                    throw new IOException("docker-registry did not start on 127.0.0.1:" + port + ": "
                            + log(dir.path()));
                }
            }
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT}: the host part of image references (the token front's, in Bearer mode). */
    public String host() {
        return front.map(RegistryFront::host).orElse(backendHost());
    }

    /** {@code 127.0.0.1:PORT} of the registry process itself, e.g. for a {@link RegistryFront#proxy} of a test's. */
    public String backendHost() {
        return "127.0.0.1:" + port;
    }

    /** The token front in Bearer mode (it counts the token requests). */
    public Optional<RegistryFront> front() {
        return front;
    }

    public long pid() {
        return process.pid();
    }

    /** The registry's log, for failure messages. */
    public String log() throws IOException {
        return log(dir.path());
    }

    /** Pushes the blobs and then the manifest of {@code image}, from {@code layout}, as {@code repository:tag}. */
    public void push(String repository, String tag, OciLayout layout, OciLayout.Image image) throws IOException {
        for (Layer layer : image.layers()) {
            pushBlob(repository, layer.blob(), layout.blob(layer.blob().digest()));
        }
        pushBlob(repository, image.config(), layout.blob(image.config().digest()));
        pushManifest(repository, tag, image.manifest(), layout.blob(image.manifest().digest()));
    }

    /** Uploads one blob unless the repository already has it (to the registry process, behind any front). */
    public void pushBlob(String repository, Descriptor blob, Path content) throws IOException {
        client.pushBlob(repository, blob, content);
    }

    /** Stores a manifest (or index) under {@code tag}, which may be a digest; its blobs must be pushed first. */
    public void pushManifest(String repository, String tag, Descriptor manifest, Path content) throws IOException {
        client.pushManifest(repository, tag, manifest, content);
    }

    /** The temp dir holding storage, config, htpasswd and log. */
    Path dir() {
        return dir.path();
    }

    @Override
    public void close() throws IOException {
        front.ifPresent(RegistryFront::close);
        stop(process);
        dir.close();
    }

    private static boolean awaitReady(Process process, RegistryClient client, int port, Path dir)
            throws IOException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (client.ping()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for docker-registry", e);
            }
        }
        stop(process);
        throw new IOException("docker-registry not answering on 127.0.0.1:" + port + " after " + READY + ": "
                + log(dir));
    }

    /** SIGTERM to the process this class started, SIGKILL if it lingers. */
    private static void stop(Process process) {
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

    private static Path writeConfig(Path dir, int port, Auth auth) throws IOException {
        String authConfig = auth instanceof Auth.Basic b ? """
                auth:
                  htpasswd:
                    realm: berth-test
                    path: %s
                """.formatted(htpasswd(dir, b)) : "";
        // relativeurls: Location headers must stay relative to reach clients through a front
        return Files.writeString(dir.resolve("config.yml"), """
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
                %s""".formatted(dir.resolve("storage"), port, authConfig));
    }

    /** {@code htpasswd -Bbn}: the registry accepts bcrypt entries only. */
    private static Path htpasswd(Path dir, Auth.Basic b) throws IOException {
        Process p = new ProcessBuilder("htpasswd", "-Bbn", b.user(), b.password())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String entry = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0 || entry.isBlank()) {
                throw new IOException("htpasswd -Bbn " + b.user() + ": exit " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running htpasswd", e);
        }
        return Files.writeString(dir.resolve("htpasswd"), entry.strip() + "\n");
    }

    private static String log(Path dir) throws IOException {
        Path log = dir.resolve("registry.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
