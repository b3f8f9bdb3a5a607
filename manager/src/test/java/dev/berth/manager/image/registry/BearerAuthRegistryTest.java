package dev.berth.manager.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.manager.image.reference.ImageReference;
import dev.berth.testsupport.LocalRegistry;
import dev.berth.testsupport.RegistryFront;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a Bearer-token front (a token server in the test) over an anonymous registry. */
class BearerAuthRegistryTest extends RegistryContract {
    private static LocalRegistry registry;
    private static RegistryFront front;

    @BeforeAll
    static void start() throws IOException {
        registry = LocalRegistry.bearer(USER, PASSWORD);
        front = registry.front().orElseThrow();
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

    @Test
    void tokens_cachedPerScope() throws IOException {
        TestBlobs blobs = TestBlobs.random(3, 5000);
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = hosts(USER, PASSWORD)) {
            Registry r = hosts.forHost(ref);
            int before = front.tokenRequests();
            r.push(ref, blobs.layerDesc(), new ByteArrayInputStream(blobs.layer()));
            r.push(ref, blobs.configDesc(), new ByteArrayInputStream(blobs.config()));
            r.pushManifest(ref, blobs.manifestDesc(), blobs.manifest());
            r.resolve(ref);
            assertArrayEquals(blobs.layer(), read(r.fetch(ref, blobs.layerDesc(), 0)));
            assertArrayEquals(blobs.config(), read(r.fetch(ref, blobs.configDesc(), 0)));
            assertEquals(2, front.tokenRequests() - before, "one token for pull,push and one for pull");
        }
    }
}
