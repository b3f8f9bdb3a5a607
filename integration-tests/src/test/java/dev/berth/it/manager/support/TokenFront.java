package dev.berth.it.manager.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Bearer-token side of a registry for {@link LocalRegistry}: the JDK's {@link HttpServer} on 127.0.0.1 that
 * answers 401 with a {@code WWW-Authenticate: Bearer realm=…/token,service="berth-it"} challenge to any request
 * without a token it issued, issues tokens at {@code /token} to the one user with the right password (Basic), and
 * proxies authorised requests to an anonymous docker-registry. Tokens are not scoped: holding one is enough here,
 * the flow is what the tests are about.
 */
final class TokenFront implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "transfer-encoding", "keep-alive", "authorization");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String backend;
    private final String basic;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();

    private TokenFront(HttpServer server, String backend, String user, String password) {
        this.server = server;
        this.backend = backend;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A front on {@code port} for the registry at {@code backend} ({@code 127.0.0.1:PORT}). */
    static TokenFront start(int port, String backend, String user, String password) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        TokenFront front = new TokenFront(server, backend, user, password);
        server.createContext("/", front::handle);
        server.setExecutor(front.executor);
        server.start();
        return front;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
        client.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/token")) {
                token(exchange);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                exchange.getResponseHeaders().set("WWW-Authenticate",
                        "Bearer realm=\"http://127.0.0.1:" + port() + "/token\",service=\"berth-it\"");
                send(exchange, 401, """
                        {"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
                return;
            }
            proxy(exchange, body);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, """
                    {"errors":[{"code":"UNAUTHORIZED","message":"invalid username or password"}]}""");
            return;
        }
        String token = UUID.randomUUID().toString();
        tokens.add(token);
        send(exchange, 200, "{\"token\":\"" + token + "\",\"expires_in\":300}");
    }

    private void proxy(HttpExchange exchange, byte[] body) throws IOException {
        String method = exchange.getRequestMethod();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + backend + exchange.getRequestURI()))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted proxying " + method + " " + exchange.getRequestURI(), e);
        }
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.equals(":status")) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        byte[] out = response.body();
        boolean head = method.equals("HEAD");
        if (head) {
            // a HEAD answer carries the length of the body it does not send
            response.headers().firstValue("Content-Length")
                    .ifPresent(l -> exchange.getResponseHeaders().set("Content-Length", l));
        }
        exchange.sendResponseHeaders(response.statusCode(), head || out.length == 0 ? -1 : out.length);
        if (!head && out.length > 0) {
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(body);
        }
    }
}
