package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.manager.support.EdgeImages;
import dev.berth.it.manager.support.TestImage;
import dev.berth.it.manager.support.TestImages;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code berth pull} through berthd's transfer service against a real docker-registry, in the cases a plain pull
 * does not reach: an OCI index with two platforms, a {@code tar+zstd} layer, a blob download cut off halfway (which
 * must resume with a Range request), and a blob whose bytes do not match its digest (which must leave nothing
 * behind). The last two go through a {@link FaultyProxy} in front of the registry.
 */
class BerthPullEdgeCasesTest extends BerthCliFixture {
    /** How much of the 50 MB layer the proxy sends before it closes the connection. */
    private static final long CUT_AFTER = 10L * 1024 * 1024;

    private EdgeImages edges;
    private FaultyProxy proxy;

    @BeforeAll
    void pushEdgeImagesAndStartProxy() throws IOException {
        edges = EdgeImages.build(imagesDir.resolve("edges"));
        edges.pushTo(registry);
        proxy = FaultyProxy.start(registry.host());
    }

    @AfterAll
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void indexWithTwoPlatforms_defaultPicksAmd64_platformFlagPicksArm64() {
        String ref = registry.host() + "/multiarch:latest";
        berth("pull", ref).assertSuccess();
        assertEquals("amd64\n", berth("run", "--rm", ref, "cat", "/platform").assertSuccess().stdout());
        String inspect = berth("inspect", ref).assertSuccess().stdout();
        assertTrue(Pattern.compile("\"Architecture\"\\s*:\\s*\"amd64\"").matcher(inspect).find(), inspect);
        List<String> content = lines(ctr.run("content", "ls", "-q").assertSuccess().stdout());
        assertTrue(content.contains(edges.index().digest()), content.toString());
        assertTrue(content.contains(edges.amd64().manifest().digest()), content.toString());
        assertFalse(content.contains(edges.arm64().manifest().digest()), content.toString());

        String arm = namespace + "-arm";
        try {
            var armCtr = ctr.in(arm);
            CliResult pull = commandLine.run(CALL, argvIn(arm, "pull", "--platform", "linux/arm64", ref));
            assertEquals(0, pull.exitCode(), pull.toString());
            String images = armCtr.run("images", "ls").assertSuccess().stdout();
            assertTrue(images.contains(ref) && images.contains(edges.index().digest()), images);
            List<String> armContent = lines(armCtr.run("content", "ls", "-q").assertSuccess().stdout());
            assertTrue(armContent.containsAll(edges.arm64().blobDigests()), armContent.toString());
            assertFalse(armContent.contains(edges.amd64().manifest().digest()), armContent.toString());
            assertFalse(armContent.contains(edges.amd64().config().digest()), armContent.toString());
            String config = armCtr.run("content", "get", edges.arm64().config().digest()).assertSuccess().stdout();
            assertTrue(Pattern.compile("\"architecture\"\\s*:\\s*\"arm64\"").matcher(config).find(), config);
        } finally {
            removeOtherNamespace(arm);
        }
    }

    @Test
    void zstdLayer_pullsAndRuns() {
        String ref = edges.zstd().reference(registry);
        berth("pull", ref).assertSuccess();
        assertEquals(EdgeImages.ZSTD_CONTENT,
                berth("run", "--rm", ref, "cat", EdgeImages.ZSTD_FILE).assertSuccess().stdout());
    }

    /**
     * berthd does not retry a cut-off download within the pull (neither does containerd's pull): the pull fails
     * with 125 and leaves the partial ingest, and the next pull resumes it with {@code Range: bytes=<offset>-}.
     */
    @Test
    void interruptedBlobDownload_resumesWithARangeWithinThePull() {
        TestImage layers5 = images.layers5();
        String big = layers5.layers().get(3).blob().digest();
        long size = layers5.layers().get(3).blob().size();
        proxy.cutFirstGetOf(big, CUT_AFTER);
        String ref = proxy.host() + "/layers5:latest";

        CliResult pull = berth("pull", ref);
        List<FaultyProxy.Get> gets = proxy.getsOf(big);
        assertEquals(0, pull.exitCode(), pull + "\nblob GETs of " + big + ": " + gets);
        assertEquals(2, gets.size(), gets.toString());
        assertEquals(Optional.empty(), gets.get(0).range(), "the first GET asks for the whole blob: " + gets);
        long start = gets.get(1).rangeStart().orElseThrow(() -> new AssertionError("no Range on the retry: " + gets));
        assertTrue(start > 0 && start <= CUT_AFTER, "resumes within the bytes sent (1.." + CUT_AFTER + "): " + gets);
        assertEquals(Optional.of("bytes=" + start + "-"), gets.get(1).range(), "open-ended range of " + size);
        assertFalse(ctr.run("content", "active").assertSuccess().stdout().contains(big.substring(7)));
        assertEquals(String.valueOf(TestImages.BIG_FILE_SIZE), berth("run", "--rm", ref, "stat", "-c", "%s",
                TestImages.BIG_FILE).assertSuccess().stdout().strip());
    }

    @Test
    void blobNotMatchingItsDigest_failsAndLeavesNothing() {
        String bad = edges.corruptLayer().digest();
        proxy.corrupt(bad);
        String ref = proxy.host() + "/corrupt:latest";
        CliResult pull = berth("pull", ref);
        assertEquals(125, pull.exitCode(), pull.toString());
        assertTrue(pull.stderr().contains(bad), pull.toString());
        assertFalse(proxy.getsOf(bad).isEmpty(), "the blob was fetched through the proxy");

        List<String> content = lines(ctr.run("content", "ls", "-q").assertSuccess().stdout());
        assertFalse(content.contains(bad), content.toString());
        String active = ctr.run("content", "active").assertSuccess().stdout();
        assertFalse(active.contains(bad.substring("sha256:".length())), active);
        List<String> imagesLs = lines(ctr.run("images", "ls", "-q").assertSuccess().stdout());
        assertFalse(imagesLs.contains(ref), imagesLs.toString());
        CliResult inspect = berth("inspect", ref);
        assertTrue(inspect.exitCode() != 0, inspect.toString());
    }

    private List<String> argvIn(String ns, String... args) {
        List<String> argv = argv(args);
        argv.set(argv.indexOf(namespace), ns);
        return argv;
    }

    /** Removes images, content-visible state and the namespace {@code ns} a test made besides its own. */
    private void removeOtherNamespace(String ns) {
        var other = ctr.in(ns);
        CliResult ls = other.run("images", "ls", "-q");
        if (ls.exitCode() == 0) {
            for (String image : lines(ls.stdout())) {
                other.run("images", "rm", "--sync", image);
            }
        }
        CliResult snaps = other.run("snapshots", "ls");
        if (snaps.exitCode() == 0) {
            // committed snapshots go with the images' GC; anything left is removed child first
            List<String> keys = new ArrayList<>(snaps.stdout().lines().skip(1)
                    .map(l -> l.split("\\s+")[0]).filter(k -> !k.isEmpty()).toList());
            for (String key : keys.reversed()) {
                other.run("snapshots", "rm", key);
            }
        }
        other.run("namespaces", "rm", ns);
        CgroupFs.removeLeftovers("/" + ns);
    }

    /**
     * A plain HTTP/1.1 proxy on 127.0.0.1 in front of the registry for GET and HEAD (all a pull sends), one request
     * per connection ({@code Connection: close}), written on raw sockets so it can cut a body off mid-stream. It
     * logs every blob GET with its Range header; one blob's first GET can be cut after a number of bytes, and one
     * blob can be served with its last byte changed (same length, wrong digest).
     */
    static final class FaultyProxy implements AutoCloseable {
        private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host",
                "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

        /** One blob GET as it arrived. */
        record Get(String digest, Optional<String> range) {
            Optional<Long> rangeStart() {
                return range.filter(r -> r.startsWith("bytes=")).map(r -> r.substring(6, r.indexOf('-')))
                        .filter(s -> !s.isEmpty()).map(Long::parseLong);
            }
        }

        private final ServerSocket server;
        private final String backend;
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        private final List<Get> gets = new CopyOnWriteArrayList<>();
        private final Map<String, Long> cuts = new ConcurrentHashMap<>();
        private final Set<String> corrupted = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean closed = new AtomicBoolean();

        private FaultyProxy(ServerSocket server, String backend) {
            this.server = server;
            this.backend = backend;
        }

        static FaultyProxy start(String backend) throws IOException {
            FaultyProxy proxy = new FaultyProxy(new ServerSocket(0, 64, InetAddress.getLoopbackAddress()), backend);
            proxy.executor.submit(proxy::accept);
            return proxy;
        }

        String host() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        /** The next GET of {@code digest} gets a full Content-Length but only {@code bytes} bytes, then EOF. */
        void cutFirstGetOf(String digest, long bytes) {
            cuts.put(digest, bytes);
        }

        /** Every GET of {@code digest} gets the blob with its last byte changed. */
        void corrupt(String digest) {
            corrupted.add(digest);
        }

        List<Get> getsOf(String digest) {
            return gets.stream().filter(g -> g.digest().equals(digest)).toList();
        }

        @Override
        public void close() {
            closed.set(true);
            try {
                server.close();
            } catch (IOException e) {
                // closing a listening socket that failed to close leaves nothing to clean up
            }
            executor.shutdownNow();
            client.close();
        }

        private void accept() {
            while (!closed.get()) {
                try {
                    Socket s = server.accept();
                    executor.submit(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String[] parts = requestLine.split(" ");
                Map<String, String> headers = new LinkedHashMap<>();
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
                }
                forward(parts[0], parts[1], headers, socket.getOutputStream());
            } catch (IOException | InterruptedException e) {
                // the client went away, or the proxy closes: nothing to answer
            }
        }

        private void forward(String method, String path, Map<String, String> headers, OutputStream out)
                throws IOException, InterruptedException {
            String digest = path.contains("/blobs/sha256:") ? path.substring(path.lastIndexOf('/') + 1) : null;
            Optional<String> range = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Range"))
                    .map(Map.Entry::getValue).findFirst();
            if (digest != null && method.equals("GET")) {
                gets.add(new Get(digest, range));
            }
            boolean corrupt = digest != null && method.equals("GET") && corrupted.contains(digest);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + backend + path))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            headers.forEach((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(lower) && !(corrupt && lower.equals("range"))) {
                    request.header(name, value);
                }
            });
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                StringBuilder head = new StringBuilder("HTTP/1.1 " + response.statusCode() + " X\r\n");
                response.headers().map().forEach((name, values) -> {
                    if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                        values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
                    }
                });
                head.append("Connection: close\r\n");
                if (method.equals("HEAD")) {
                    response.headers().firstValue("Content-Length")
                            .ifPresent(l -> head.append("Content-Length: ").append(l).append("\r\n"));
                    out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return;
                }
                Long cut = digest != null && method.equals("GET") ? cuts.remove(digest) : null;
                if (corrupt) {
                    byte[] bytes = body.readAllBytes();
                    if (response.statusCode() == 200 && bytes.length > 0) {
                        bytes[bytes.length - 1] ^= 0x5a;
                    }
                    head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
                    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                    out.write(bytes);
                    out.flush();
                    return;
                }
                Optional<String> length = response.headers().firstValue("Content-Length");
                if (length.isEmpty()) {
                    byte[] bytes = body.readAllBytes();
                    head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
                    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                    out.write(bytes);
                    out.flush();
                    return;
                }
                head.append("Content-Length: ").append(length.get()).append("\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                long limit = cut == null ? Long.MAX_VALUE : cut;
                byte[] buf = new byte[1 << 16];
                long sent = 0;
                for (int n; sent < limit && (n = body.read(buf, 0, (int) Math.min(buf.length, limit - sent))) > 0; ) {
                    out.write(buf, 0, n);
                    sent += n;
                }
                out.flush();
                // with a cut, returning closes the socket short of Content-Length: the client sees an early EOF
            } catch (SocketException e) {
                // the client hung up mid-body
            }
        }

        /** One CRLF-terminated header line, without the CRLF; null at EOF. */
        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); ; c = in.read()) {
                if (c == -1) {
                    return sb.isEmpty() ? null : sb.toString();
                }
                if (c == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) c);
            }
        }
    }
}
