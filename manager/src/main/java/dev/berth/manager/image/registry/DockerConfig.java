package dev.berth.manager.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials of a docker {@code config.json} ({@code docker login} writes it): {@code auths.<key>.auth}, the
 * base64 of {@code user:password}, or {@code auths.<key>.username} and {@code password}. Keys are a host
 * ({@code 127.0.0.1:5000}), possibly as a URL ({@code https://host/v1/}); Docker Hub's is
 * {@code https://index.docker.io/v1/}. Credential helpers ({@code credsStore}, {@code credHelpers}) are not run.
 */
final class DockerConfig {
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final Map<String, Credentials> byHost;

    private DockerConfig(Map<String, Credentials> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    static DockerConfig empty() {
        return new DockerConfig(Map.of());
    }

    /** Reads {@code file}; a missing file has no credentials, a malformed one is INVALID_ARGUMENT naming it. */
    static DockerConfig read(Path file, ObjectMapper json) throws IOException {
        JsonNode root;
        try {
            root = json.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw BerthException.invalidArgument("read docker config " + file + ": " + e.getOriginalMessage());
        }
        Map<String, Credentials> byHost = new HashMap<>();
        JsonNode auths = root.path("auths");
        for (Map.Entry<String, JsonNode> e : auths.properties()) {
            credentials(e.getValue()).ifPresent(c -> byHost.put(normalize(e.getKey()), c));
        }
        return new DockerConfig(byHost);
    }

    private static Optional<Credentials> credentials(JsonNode entry) {
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = pair.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new Credentials(pair.substring(0, colon), pair.substring(colon + 1)));
        }
        String user = entry.path("username").asText("");
        return user.isEmpty() ? Optional.empty()
                : Optional.of(new Credentials(user, entry.path("password").asText("")));
    }

    /** {@code https://host:port/v1/} and {@code host:port} name the same registry. */
    static String normalize(String key) {
        String host = key;
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io" -> "docker.io";
            default -> host;
        };
    }

    /** The credentials for a registry host as references name it ({@code docker.io} for Docker Hub). */
    Optional<Credentials> forHost(String host) {
        return Optional.ofNullable(byHost.get(normalize(host)));
    }
}
