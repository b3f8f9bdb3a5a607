package dev.berth.manager.image.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets Bearer tokens from a registry's token server (docker registry "Token Authentication Specification"):
 * {@code GET <realm>?service=<service>&scope=<scope>…}, with Basic credentials when there are any, else anonymously;
 * the answer's {@code token} (or OAuth2's {@code access_token}) is cached per realm, service and scopes until its
 * {@code expires_in} (60 s when absent) is nearly over. The OAuth2 POST flow (refresh tokens) is not spoken.
 */
final class TokenAuthenticator {
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    /** A token is dropped this long before it expires, so that it does not expire in flight. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private record Token(String value, Instant expires) {}

    private final Transport transport;
    private final RegistryErrors errors;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Token> cache = new ConcurrentHashMap<>();

    TokenAuthenticator(Transport transport, RegistryErrors errors, ObjectMapper json, Clock clock) {
        this.transport = transport;
        this.errors = errors;
        this.json = json;
        this.clock = clock;
    }

    /** A token for {@code scopes}, from the cache or the token server; FAILED_PRECONDITION when it refuses. */
    String token(Challenge.Bearer challenge, List<String> scopes, Optional<Credentials> credentials, String op)
            throws IOException {
        String key = key(challenge, scopes);
        Token cached = cache.get(key);
        if (cached != null && clock.instant().isBefore(cached.expires())) {
            return cached.value();
        }
        Token fresh = fetch(challenge, scopes, credentials, op);
        cache.put(key, fresh);
        return fresh.value();
    }

    /** Forgets the token for {@code scopes}: the registry refused it (revoked or expired early). */
    void invalidate(Challenge.Bearer challenge, List<String> scopes) {
        cache.remove(key(challenge, scopes));
    }

    private static String key(Challenge.Bearer challenge, List<String> scopes) {
        return challenge.realm() + " " + challenge.service().orElse("") + " " + String.join(" ", scopes);
    }

    private Token fetch(Challenge.Bearer challenge, List<String> scopes, Optional<Credentials> credentials,
            String op) throws IOException {
        StringBuilder query = new StringBuilder();
        challenge.service().ifPresent(s -> query.append("service=").append(encode(s)));
        for (String scope : scopes) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
        }
        URI realm = URI.create(challenge.realm());
        URI uri = URI.create(challenge.realm() + (query.isEmpty() ? "" : (realm.getQuery() == null ? "?" : "&") + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30));
        credentials.ifPresent(c -> request.header("Authorization", c.basicHeader()));
        String server = "token server " + realm.getAuthority();
        String tokenOp = op + ": " + server;
        HttpResponse<InputStream> response = transport.send(request.build(), true, tokenOp);
        if (response.statusCode() != 200) {
            throw errors.of(op, response, "not found", server);
        }
        JsonNode body;
        try (InputStream in = response.body()) {
            body = json.readTree(in);
        } catch (JacksonException e) {
            throw BerthException.internal(tokenOp + ": malformed answer: " + e.getOriginalMessage());
        }
        String token = body.path("token").asText("");
        if (token.isEmpty()) {
            token = body.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw BerthException.internal(tokenOp + ": answer has no token");
        }
        long seconds = body.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        Duration usable = lifetime.compareTo(MARGIN.multipliedBy(2)) > 0 ? lifetime.minus(MARGIN) : lifetime.dividedBy(2);
        return new Token(token, clock.instant().plus(usable));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
