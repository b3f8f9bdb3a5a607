package dev.berth.manager.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One registry or mirror as reached over HTTP: its base URL ({@code https://host:port}), its authentication state
 * and the transport. {@link #send} is the one place that authenticates, retries and follows redirects.
 */
final class RegistryEndpoint {
    private static final int MAX_REDIRECTS = 5;
    /** Until the response headers arrive; a blob's body may then take as long as it takes. */
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final Transport transport;
    private final Authenticator auth;

    RegistryEndpoint(URI base, Transport transport, Authenticator auth) {
        this.base = base;
        this.transport = transport;
        this.auth = auth;
    }

    /** {@code <base>/v2/<repository>/<rest>}, e.g. {@code /v2/library/busybox/manifests/latest}. */
    URI uri(String repository, String rest) {
        return URI.create(base + "/v2/" + repository + "/" + rest);
    }

    URI base() {
        return base;
    }

    /**
     * One request of the distribution API.
     *
     * @param body what to send; a one-shot stream makes the call not {@code replayable}: it is sent once, not
     *     retried after a 5xx or a lost connection and not resent after a 401 (an earlier request of the same
     *     operation has to have settled authentication)
     * @param scopes the token scopes it needs ({@code repository:<path>:pull} …)
     * @param op the operation, for error messages ({@code pull 127.0.0.1:5000/app:1})
     */
    record Call(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body,
            boolean replayable, List<String> scopes, String op) {
        Call {
            headers = Map.copyOf(headers);
            scopes = List.copyOf(scopes);
        }

        static Call of(String method, URI uri, List<String> scopes, String op) {
            return new Call(method, uri, Map.of(), HttpRequest.BodyPublishers.noBody(), true, scopes, op);
        }

        Call header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Call(method, uri, h, body, replayable, scopes, op);
        }

        Call body(HttpRequest.BodyPublisher publisher, boolean canReplay) {
            return new Call(method, uri, headers, publisher, canReplay, scopes, op);
        }
    }

    /**
     * Sends {@code call}: with the Authorization the registry asked for before, once more with a new one after a
     * 401 that a retry can answer, following redirects of GET and HEAD (blob storage answers 307 with a URL of its
     * own). Returns the final response, whatever its status.
     */
    HttpResponse<InputStream> send(Call call) throws IOException {
        Optional<String> authorization = auth.authorization(call.scopes(), call.op());
        HttpResponse<InputStream> response = followRedirects(call, authorization);
        if (response.statusCode() != 401 || !call.replayable()) {
            return response;
        }
        Optional<String> retry = auth.unauthorized(response.headers().firstValue("WWW-Authenticate"), call.scopes(),
                authorization, call.op());
        if (retry.isEmpty()) {
            return response;
        }
        Transport.discard(response);
        return followRedirects(call, retry);
    }

    private HttpResponse<InputStream> followRedirects(Call call, Optional<String> authorization) throws IOException {
        boolean follow = call.method().equals("GET") || call.method().equals("HEAD");
        URI uri = call.uri();
        Optional<String> authz = authorization;
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response = transport.send(request(call, uri, authz), call.replayable(),
                    call.op());
            Optional<String> location = response.headers().firstValue("Location");
            if (!follow || !redirect(response.statusCode()) || location.isEmpty() || hop >= MAX_REDIRECTS) {
                return response;
            }
            Transport.discard(response);
            URI next = uri.resolve(location.get());
            // Credentials are for the registry: a presigned storage URL on another host rejects or leaks them.
            if (!Objects.equals(next.getAuthority(), uri.getAuthority())) {
                authz = Optional.empty();
            }
            uri = next;
        }
    }

    private static boolean redirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static HttpRequest request(Call call, URI uri, Optional<String> authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(call.method(), call.body())
                .timeout(HEADERS_TIMEOUT);
        call.headers().forEach(b::header);
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b.build();
    }
}
