package dev.berth.it.manager.support;

import dev.berth.it.support.Background;
import dev.berth.it.support.CommandLine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on 127.0.0.1 with a free port and filesystem storage in a temp
 * dir of its own, for the suite's pulls; {@link #close()} stops it by PID and deletes the dir.
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
         * The token flow: a {@link TokenFront} on {@link #host()} challenges with {@code Bearer realm=…}, hands
         * tokens to the one user (Basic) and proxies to an anonymous registry behind it.
         */
        record Bearer(String user, String password) implements Auth {}
    }

    /** What the registry is started with. */
    public record Options(Auth auth) {
        public static Options anonymous() {
            return new Options(new Auth.Anonymous());
        }

        public static Options basic(String user, String password) {
            return new Options(new Auth.Basic(user, password));
        }

        public static Options bearer(String user, String password) {
            return new Options(new Auth.Bearer(user, password));
        }
    }

    private final Path dir;
    private final int port;
    private final Background process;
    /** Talks to the registry process itself (behind a token front, anonymously). */
    private final RegistryClient client;
    private java.util.Optional<TokenFront> front = java.util.Optional.empty();

    private LocalRegistry(Path dir, int port, Background process, Auth auth) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        java.util.Optional<String> authorization = auth instanceof Auth.Basic b
                ? java.util.Optional.of("Basic " + java.util.Base64.getEncoder().encodeToString(
                        (b.user() + ":" + b.password()).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                : java.util.Optional.empty();
        this.client = new RegistryClient(URI.create("http://127.0.0.1:" + port), authorization);
    }

    /** Starts a registry under a new temp dir and waits until {@code /v2/} answers. */
    public static LocalRegistry start(Options options) throws IOException {
        Path dir = Files.createTempDirectory("berth-registry-");
        try {
            // A port can be taken between probing and binding; a registry that exits at once gets another port.
            for (int attempt = 1; ; attempt++) {
                int port = freePort();
                Path config = writeConfig(dir, port, options);
                Background process = new CommandLine(Files.createDirectories(dir.resolve("log")))
                        .start(List.of(BINARY.toString(), "serve", config.toString()), Map.of(), null);
                LocalRegistry registry = new LocalRegistry(dir, port, process, options.auth());
                if (registry.awaitReady()) {
                    if (options.auth() instanceof Auth.Bearer b) {
                        try {
                            registry.front = java.util.Optional.of(TokenFront.start(freePort(),
                                    "127.0.0.1:" + port, b.user(), b.password()));
                        } catch (IOException e) {
                            registry.stop();
                            throw e;
                        }
                    }
                    return registry;
                }
                registry.stop();
                if (attempt == 3) {
                    throw new IOException("docker-registry did not start on 127.0.0.1:" + port + ": "
                            + process.stderr());
                }
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT}: the host part of image references. */
    public String host() {
        return "127.0.0.1:" + front.map(TokenFront::port).orElse(port);
    }

    public long pid() {
        return process.pid();
    }

    /** Pushes the blobs and then the manifest of {@code image} from the layout that holds them. */
    void push(TestImage image, OciLayout layout) throws IOException {
        for (Layer layer : image.layers()) {
            client.pushBlob(image.name(), layer.blob(), layout.blob(layer.blob().digest()));
        }
        client.pushBlob(image.name(), image.config(), layout.blob(image.config().digest()));
        client.pushManifest(image.name(), image.tag(), image.manifest(), layout.blob(image.manifest().digest()));
    }

    /** The client {@link EdgeImages} pushes with (to the registry process, behind any front). */
    RegistryClient client() {
        return client;
    }

    /** The registry's log (it logs to stderr), for failure messages. */
    public String log() {
        return process.stderr();
    }

    @Override
    public void close() throws IOException {
        front.ifPresent(TokenFront::close);
        stop();
        deleteTree(dir);
    }

    private boolean awaitReady() throws IOException {
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
        throw new IOException("docker-registry not answering on " + host() + " after " + READY + ": "
                + process.stderr());
    }

    /** SIGTERM to the PID this class started, SIGKILL if it lingers. */
    private void stop() {
        process.process().destroy();
        try {
            if (!process.process().waitFor(10, TimeUnit.SECONDS)) {
                process.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.close();
        }
    }

    private static Path writeConfig(Path dir, int port, Options options) throws IOException {
        String auth = switch (options.auth()) {
            case Auth.Anonymous a -> "";
            // the front proxies: Location headers must stay relative to reach the client through it
            case Auth.Bearer b -> "  relativeurls: true\n";
            case Auth.Basic b -> """
                    auth:
                      htpasswd:
                        realm: berth-it
                        path: %s
                    """.formatted(htpasswd(dir, b));
        };
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
                  secret: berth-it-not-secret
                %s""".formatted(dir.resolve("storage"), port, auth));
    }

    /** {@code htpasswd -Bbn}: the registry accepts bcrypt entries only. */
    private static Path htpasswd(Path dir, Auth.Basic b) throws IOException {
        Process p = new ProcessBuilder("htpasswd", "-Bbn", b.user(), b.password())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String entry = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
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
