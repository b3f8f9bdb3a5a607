package dev.berth.manager.image.registry;

import dev.berth.testsupport.LocalRegistry;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract against {@code docker-registry} behind htpasswd Basic auth. */
class BasicAuthRegistryTest extends RegistryContract {
    private static LocalRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        registry = LocalRegistry.basic(USER, PASSWORD);
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
    }

    @Override
    String host() {
        return registry.host();
    }

    @Override
    boolean authenticated() {
        return true;
    }
}
