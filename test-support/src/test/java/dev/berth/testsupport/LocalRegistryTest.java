package dev.berth.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalRegistryTest {

    @Test
    void close_stopsTheProcessAndRemovesStorageConfigAndHtpasswd() throws Exception {
        LocalRegistry registry = LocalRegistry.basic("alice", "secret");
        Path dir = registry.dir();
        Optional<ProcessHandle> process = ProcessHandle.of(registry.pid());
        assertTrue(Files.exists(dir.resolve("htpasswd")));
        registry.close();
        assertFalse(Files.exists(dir), "the temp dir with storage, config and htpasswd is gone");
        assertFalse(process.map(ProcessHandle::isAlive).orElse(false), "docker-registry stopped");
    }

    @Test
    void modes_challengeAsTheirAuthSays() throws Exception {
        try (LocalRegistry anonymous = LocalRegistry.anonymous();
                LocalRegistry basic = LocalRegistry.basic("alice", "secret");
                LocalRegistry bearer = LocalRegistry.bearer("alice", "secret")) {
            assertEquals(Optional.empty(), challenge(anonymous));
            assertTrue(challenge(basic).orElseThrow().startsWith("Basic realm="), challenge(basic).toString());
            assertEquals(Optional.of("Bearer realm=\"http://" + bearer.host() + "/token\",service=\"berth-test\""),
                    challenge(bearer));
            assertFalse(bearer.host().equals(bearer.backendHost()), "bearer clients go through the token front");
        }
    }

    /** The {@code WWW-Authenticate} of an anonymous {@code GET /v2/}; empty if it is answered 200. */
    private static Optional<String> challenge(LocalRegistry registry) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://" + registry.host()
                    + "/v2/")).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(r.statusCode() == 200, r.headers().firstValue("WWW-Authenticate").isEmpty(), r.toString());
            return r.headers().firstValue("WWW-Authenticate");
        }
    }
}
