package dev.berth.manager.image.registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The authentication state of one registry endpoint. Requests go out anonymously until the registry answers 401;
 * its challenge is then remembered, so that later requests carry Basic credentials or a Bearer token for their
 * scopes from the start instead of paying a 401 each.
 */
final class Authenticator {
    private final Optional<Credentials> credentials;
    private final TokenAuthenticator tokens;
    private volatile Optional<Challenge> challenge = Optional.empty();

    Authenticator(Optional<Credentials> credentials, TokenAuthenticator tokens) {
        this.credentials = credentials;
        this.tokens = tokens;
    }

    /** The {@code Authorization} header for a request needing {@code scopes}, if the registry asks for one. */
    Optional<String> authorization(List<String> scopes, String op) throws IOException {
        return switch (challenge.orElse(null)) {
            case null -> Optional.empty();
            case Challenge.Basic b -> credentials.map(Credentials::basicHeader);
            case Challenge.Bearer b -> Optional.of("Bearer " + tokens.token(b, scopes, credentials, op));
        };
    }

    /**
     * Learns from a 401 answer to a request that carried {@code sent}: remembers the challenge and forgets a
     * refused token. Returns the header to retry with, or empty when a retry cannot do better (no challenge Berth
     * speaks, no credentials for Basic, or the same header again).
     */
    Optional<String> unauthorized(Optional<String> wwwAuthenticate, List<String> scopes, Optional<String> sent,
            String op) throws IOException {
        Optional<Challenge> parsed = wwwAuthenticate.flatMap(Challenge::parse);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        challenge = parsed;
        if (parsed.get() instanceof Challenge.Bearer b && sent.isPresent()) {
            tokens.invalidate(b, scopes);
        }
        Optional<String> retry = authorization(scopes, op);
        return retry.equals(sent) ? Optional.empty() : retry;
    }
}
