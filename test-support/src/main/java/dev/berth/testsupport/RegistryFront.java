package dev.berth.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry front for tests, on 127.0.0.1 with the JDK's {@link HttpServer}, proxying to an anonymous
 * {@code docker-registry} (a {@link LocalRegistry}'s process). It can play a Bearer-token registry (401 with a
 * challenge unless the request carries a token it issued at its {@code /token} realm for the right scope; tokens
 * only for the given Basic credentials), and inject faults: fail the next requests with 503, drop connections,
 * redirect blob GETs to the backend (as blob storage does), ignore {@code Range}, cut a blob's body off, serve a
 * blob with a wrong byte. It counts what it served and logs every blob GET with its {@code Range}.
 */
public final class RegistryFront implements AutoCloseable {
    private static final Set<String> REQUEST_HEADERS = Set.of("accept", "content-type", "range");
    private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "docker-content-digest", "location",
            "content-range", "range", "docker-upload-uuid", "accept-ranges");
    private static final Pattern REPOSITORY = Pattern.compile("^/v2/(.+)/(manifests|blobs)/.*$");

    /** One blob GET as it arrived, with its {@code Range} header. */
    public record BlobGet(String digest, Optional<String> range) {
        /** The first byte asked for, for {@code bytes=N-…}. */
        public Optional<Long> rangeStart() {
            return range.filter(r -> r.startsWith("bytes=")).map(r -> r.substring(6, r.indexOf('-')))
                    .filter(start -> !start.isEmpty()).map(Long::parseLong);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String backend;
    /** The Basic {@code Authorization} value the token realm accepts; empty for a plain proxy. */
    private final Optional<String> bearer;
    private final Map<String, List<String>> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger proxied = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<BlobGet> gets = new CopyOnWriteArrayList<>();
    private final Map<String, Long> cuts = new ConcurrentHashMap<>();
    private final Set<String> corrupted = ConcurrentHashMap.newKeySet();
    private volatile boolean redirectBlobs;
    private volatile boolean ignoreRange;

    private RegistryFront(String backend, Optional<String> bearer) throws IOException {
        this.backend = backend;
        this.bearer = bearer;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A plain proxy to {@code backend} ({@code 127.0.0.1:PORT}), for failure injection and counting. */
    public static RegistryFront proxy(String backend) throws IOException {
        return new RegistryFront(backend, Optional.empty());
    }

    /** A Bearer-token registry whose token realm issues tokens to {@code user} with {@code password} only. */
    public static RegistryFront bearer(String backend, String user, String password) throws IOException {
        return new RegistryFront(backend, Optional.of("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8))));
    }

    /** {@code 127.0.0.1:PORT}: the host part of image references through this front. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code n} registry requests (not token requests) are answered 503. */
    public void failNext(int n) {
        failures.set(n);
    }

    /** The next {@code n} registry requests lose their connection before any answer. */
    public void dropNext(int n) {
        drops.set(n);
    }

    /** Answers blob GETs with a 307 to the backend, as registries whose blobs live in object storage do. */
    public void redirectBlobs(boolean on) {
        redirectBlobs = on;
    }

    /** Drops {@code Range} headers, so that blobs come whole with 200, as from servers without range support. */
    public void ignoreRange(boolean on) {
        ignoreRange = on;
    }

    /** The next GET of blob {@code digest} gets its full Content-Length but only {@code bytes} bytes, then EOF. */
    public void cutFirstGetOf(String digest, long bytes) {
        cuts.put(digest, bytes);
    }

    /** Every GET of blob {@code digest} gets the whole blob (no Range) with its last byte changed. */
    public void corrupt(String digest) {
        corrupted.add(digest);
    }

    /** The GETs of blob {@code digest} so far, in order. */
    public List<BlobGet> getsOf(String digest) {
        return gets.stream().filter(g -> g.digest().equals(digest)).toList();
    }

    /** Registry requests seen, including failed and refused ones. */
    public int requests() {
        return proxied.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
        client.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestURI().getPath().equals("/token")) {
                token(exchange);
                return;
            }
            proxied.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (drops.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                // HttpServer closes the connection of a handler that throws, without a response
                throw new IOException("injected connection drop");
            }
            if (failures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                send(exchange, 503, Map.of("Content-Type", "application/json"), """
                        {"errors":[{"code":"UNAVAILABLE","message":"injected failure"}]}""".getBytes());
                return;
            }
            if (bearer.isPresent() && !authorized(exchange)) {
                Matcher m = REPOSITORY.matcher(exchange.getRequestURI().getPath());
                String scope = m.matches() ? "repository:" + m.group(1) + ":" + action(exchange) : "";
                send(exchange, 401, Map.of("Content-Type", "application/json", "WWW-Authenticate",
                        "Bearer realm=\"http://" + host() + "/token\",service=\"berth-test\""
                                + (scope.isEmpty() ? "" : ",scope=\"" + scope + "\"")), """
                        {"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""".getBytes());
                return;
            }
            if (redirectBlobs && exchange.getRequestMethod().equals("GET")
                    && exchange.getRequestURI().getPath().contains("/blobs/sha256:")) {
                send(exchange, 307, Map.of("Location", "http://" + backend + exchange.getRequestURI()), new byte[0]);
                return;
            }
            proxy(exchange, body);
        }
    }

    private static String action(HttpExchange exchange) {
        return switch (exchange.getRequestMethod()) {
            case "GET", "HEAD" -> "pull";
            default -> "push";
        };
    }

    /** A token it issued whose scopes grant this request's action on its repository. */
    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        List<String> scopes = tokens.get(header.substring("Bearer ".length()));
        if (scopes == null) {
            return false;
        }
        Matcher m = REPOSITORY.matcher(exchange.getRequestURI().getPath());
        if (!m.matches()) {
            return true;
        }
        String action = action(exchange);
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length == 3 && parts[1].equals(m.group(1)) && List.of(parts[2].split(",")).contains(action)) {
                return true;
            }
        }
        return false;
    }

    /** The realm: a token for the requested scopes to the one user with the right password. */
    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (bearer.isEmpty() || auth == null || !auth.equals(bearer.get())) {
            send(exchange, 401, Map.of("Content-Type", "application/json"), """
                    {"errors":[{"code":"UNAUTHORIZED","message":"invalid username or password"}]}""".getBytes());
            return;
        }
        List<String> scopes = new ArrayList<>();
        String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        for (String pair : query.split("&")) {
            if (pair.startsWith("scope=")) {
                scopes.add(URLDecoder.decode(pair.substring("scope=".length()), StandardCharsets.UTF_8));
            }
        }
        String token = UUID.randomUUID().toString();
        tokens.put(token, scopes);
        // Alternate the two names the token has in the wild: docker's "token" and OAuth2's "access_token".
        String field = tokens.size() % 2 == 0 ? "access_token" : "token";
        send(exchange, 200, Map.of("Content-Type", "application/json"),
                ("{\"" + field + "\":\"" + token + "\",\"expires_in\":300}").getBytes());
    }

    /**
     * Forwards the request and streams the answer back: a blob to {@link #corrupt} comes whole with its last byte
     * changed, one to {@link #cutFirstGetOf cut} stops short of its Content-Length and the connection closes.
     */
    private void proxy(HttpExchange exchange, byte[] body) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Optional<String> blob = method.equals("GET") && path.contains("/blobs/sha256:")
                ? Optional.of(path.substring(path.lastIndexOf('/') + 1)) : Optional.empty();
        blob.ifPresent(d -> gets.add(new BlobGet(d,
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Range")))));
        boolean corrupt = blob.filter(corrupted::contains).isPresent();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + backend + exchange.getRequestURI()))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (REQUEST_HEADERS.contains(name.toLowerCase())
                    && !((ignoreRange || corrupt) && name.equalsIgnoreCase("range"))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted proxying", e);
        }
        try (InputStream in = response.body()) {
            Map<String, String> headers = new HashMap<>();
            response.headers().map().forEach((name, values) -> {
                if (RESPONSE_HEADERS.contains(name.toLowerCase()) && !values.isEmpty()) {
                    headers.put(name, values.getFirst());
                }
            });
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            if (method.equals("HEAD")) {
                length.ifPresent(l -> headers.put("Content-Length", Long.toString(l)));
                send(exchange, response.statusCode(), headers, new byte[0]);
                return;
            }
            if (corrupt && response.statusCode() == 200) {
                byte[] bytes = in.readAllBytes();
                if (bytes.length > 0) {
                    bytes[bytes.length - 1] ^= 0x5a;
                }
                send(exchange, response.statusCode(), headers, bytes);
                return;
            }
            long cut = blob.map(cuts::remove).orElse(Long.MAX_VALUE);
            headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            // 0 asks HttpServer for a chunked body, -1 for none
            exchange.sendResponseHeaders(response.statusCode(), length.isEmpty() ? 0 : length.getAsLong() == 0 ? -1
                    : length.getAsLong());
            OutputStream out = exchange.getResponseBody();
            byte[] buf = new byte[1 << 16];
            long sent = 0;
            for (int n; sent < cut && (n = in.read(buf, 0, (int) Math.min(buf.length, cut - sent))) > 0; ) {
                out.write(buf, 0, n);
                sent += n;
            }
            if (sent == cut) {
                // HttpServer closes a connection whose handler throws: the client reads an early end of the body
                throw new IOException("injected cut of " + blob.orElseThrow() + " after " + cut + " bytes");
            }
            out.close();
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
