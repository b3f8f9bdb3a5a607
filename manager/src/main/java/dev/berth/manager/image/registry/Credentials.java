package dev.berth.manager.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password for one registry, sent as HTTP Basic to the registry or to its token server: berthd's
 * own from its docker config, or a client's for one call (the Docker API's {@code X-Registry-Auth}).
 */
public record Credentials(String username, String password) {

    /** The value of an {@code Authorization} header. */
    String basicHeader() {
        String pair = username + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[" + username + "]";
    }
}
