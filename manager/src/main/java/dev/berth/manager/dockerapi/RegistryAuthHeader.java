package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.transfer.v1.RegistryAuth;
import dev.berth.model.DockerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * docker's AuthConfig, as {@code POST /auth} takes it in its body and pull and push take it in {@code X-Registry-Auth}
 * (base64url of the JSON): {@code username} and {@code password}, or {@code auth} (base64 of {@code user:password}),
 * with {@code serveraddress}. {@code identitytoken} and {@code registrytoken} are OAuth and Bearer tokens Berth does
 * not speak: {@code /auth} never hands out an identity token, so docker's CLI never sends one.
 */
final class RegistryAuthHeader {

    static final String HEADER = "X-Registry-Auth";

    /** One AuthConfig: the credentials (empty user name: none) and the registry they are for. */
    record AuthConfig(RegistryAuth auth, String serverAddress) {

        boolean hasCredentials() {
            return !auth.getUsername().isEmpty();
        }
    }

    private RegistryAuthHeader() {
    }

    /**
     * The header's credentials; empty when it is absent or names none (docker's CLI sends {@code e30=}, {@code {}},
     * when it has no login for the registry), and, as docker's pull and push do, when it is not base64 of an
     * AuthConfig: the call then goes ahead with berthd's own credentials.
     */
    static Optional<RegistryAuth> of(ApiCall c) {
        Optional<String> header = c.request().header(HEADER).map(String::strip).filter(h -> !h.isEmpty());
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            AuthConfig config = parse(decode(header.get()), "X-Registry-Auth header");
            return config.hasCredentials() ? Optional.of(config.auth()) : Optional.empty();
        } catch (IllegalArgumentException | ApiException e) {
            return Optional.empty();
        }
    }

    /** Base64 in the URL alphabet (docker's), or the standard one some clients send, padded or not. */
    static byte[] decode(String value) {
        String v = value.replace('+', '-').replace('/', '_');
        while (v.endsWith("=")) {
            v = v.substring(0, v.length() - 1);
        }
        return Base64.getUrlDecoder().decode(v);
    }

    /** An AuthConfig document; 400 naming {@code what} when it is not one. */
    static AuthConfig parse(byte[] json, String what) {
        JsonNode n;
        try {
            n = json.length == 0 ? DockerJson.mapper().createObjectNode() : DockerJson.mapper().readTree(json);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid " + what + ": " + e.getMessage());
        }
        String user = n.path("username").asText("");
        String password = n.path("password").asText("");
        String auth = n.path("auth").asText("");
        if (user.isEmpty() && !auth.isEmpty()) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid " + what + ": auth is not base64");
            }
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw ApiException.badRequest("invalid " + what + ": auth is not user:password");
            }
            user = pair.substring(0, colon);
            password = pair.substring(colon + 1);
        }
        return new AuthConfig(RegistryAuth.newBuilder().setUsername(user).setPassword(password).build(),
                n.path("serveraddress").asText(""));
    }
}
