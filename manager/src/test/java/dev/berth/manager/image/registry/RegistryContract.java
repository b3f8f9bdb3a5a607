package dev.berth.manager.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.image.reference.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every registry mode must do for {@link RegistryHosts}: push blobs and a manifest, then resolve and fetch
 * them back; refuse a wrong password with FAILED_PRECONDITION. Subclasses start one registry per class.
 */
abstract class RegistryContract {
    static final String USER = "berth";
    static final String PASSWORD = "s3cret";
    private static final AtomicInteger REPOS = new AtomicInteger();

    @TempDir
    Path tmp;

    /** {@code host:port} of the registry under test. */
    abstract String host();

    /** Whether the registry wants credentials (then wrong and missing ones must fail). */
    abstract boolean authenticated();

    /** A docker config.json with {@code user:password} for the registry, as {@code docker login} writes it. */
    RegistryHosts hosts(String user, String password) throws IOException {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
        Path config = Files.writeString(tmp.resolve("config-" + REPOS.incrementAndGet() + ".json"),
                "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + auth + "\"}}}");
        return new RegistryHosts(new RegistryHostsConfig(Optional.of(config), List.of(), Map.of()));
    }

    ImageReference uniqueRef(String tag) {
        return ImageReference.parse(host() + "/berth/test" + REPOS.incrementAndGet() + ":" + tag);
    }

    static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void push_thenResolveAndFetch_roundTrips() throws IOException {
        TestBlobs blobs = TestBlobs.random(1, 200_000);
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = hosts(USER, PASSWORD)) {
            Registry registry = hosts.forHost(ref);
            assertFalse(registry.exists(ref, blobs.layerDesc()));
            registry.push(ref, blobs.layerDesc(), new ByteArrayInputStream(blobs.layer()));
            registry.push(ref, blobs.configDesc(), new ByteArrayInputStream(blobs.config()));
            registry.pushManifest(ref, blobs.manifestDesc(), blobs.manifest());
            assertTrue(registry.exists(ref, blobs.layerDesc()));

            assertEquals(blobs.manifestDesc(), registry.resolve(ref));
            assertArrayEquals(blobs.manifest(), read(registry.fetch(ref, blobs.manifestDesc(), 0)));
            assertArrayEquals(blobs.config(), read(registry.fetch(ref, blobs.configDesc(), 0)));
            assertArrayEquals(blobs.layer(), read(registry.fetch(ref, blobs.layerDesc(), 0)));
        }
        try (RegistryHosts fresh = hosts(USER, PASSWORD)) {
            ImageReference byDigest = ImageReference.parse(ref.repository() + "@" + blobs.manifestDesc().digest());
            assertEquals(blobs.manifestDesc(), fresh.forHost(byDigest).resolve(byDigest));
        }
    }

    @Test
    void wrongPassword_failedPrecondition() throws IOException {
        assumeTrue(authenticated(), "the registry takes anyone");
        TestBlobs blobs = TestBlobs.random(2, 1000);
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = hosts(USER, "wrong")) {
            Registry registry = hosts.forHost(ref);
            BerthException pull = assertThrows(BerthException.class, () -> registry.resolve(ref));
            assertEquals(ErrorKind.FAILED_PRECONDITION, pull.kind());
            assertTrue(pull.getMessage().startsWith("pull " + ref + ": authentication required"), pull.getMessage());
            BerthException push = assertThrows(BerthException.class,
                    () -> registry.push(ref, blobs.layerDesc(), new ByteArrayInputStream(blobs.layer())));
            assertEquals(ErrorKind.FAILED_PRECONDITION, push.kind());
            assertTrue(push.getMessage().contains("authentication required"), push.getMessage());
        }
    }

    @Test
    void noCredentials_failedPrecondition() throws IOException {
        assumeTrue(authenticated(), "the registry takes anyone");
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = new RegistryHosts(RegistryHostsConfig.anonymous())) {
            BerthException e = assertThrows(BerthException.class, () -> hosts.forHost(ref).resolve(ref));
            assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
            assertTrue(e.getMessage().startsWith("pull " + ref + ": authentication required"), e.getMessage());
        }
    }

    @Test
    void callCredentials_replaceBerthdsMissingOnes() throws IOException {
        TestBlobs blobs = TestBlobs.random(4, 3000);
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = new RegistryHosts(RegistryHostsConfig.anonymous())) {
            Registry registry = hosts.forHost(ref, Optional.of(new Credentials(USER, PASSWORD)));
            registry.push(ref, blobs.layerDesc(), new ByteArrayInputStream(blobs.layer()));
            registry.push(ref, blobs.configDesc(), new ByteArrayInputStream(blobs.config()));
            registry.pushManifest(ref, blobs.manifestDesc(), blobs.manifest());
            assertEquals(blobs.manifestDesc(), hosts.forHost(ref, Optional.of(new Credentials(USER, PASSWORD)))
                    .resolve(ref));
        }
    }

    @Test
    void login_rightPassword_succeeds() throws IOException {
        try (RegistryHosts hosts = new RegistryHosts(RegistryHostsConfig.anonymous())) {
            hosts.login(host(), new Credentials(USER, PASSWORD));
            hosts.login("http://" + host() + "/v1/", new Credentials(USER, PASSWORD));
        }
    }

    @Test
    void login_wrongPassword_unauthenticated() throws IOException {
        assumeTrue(authenticated(), "the registry takes anyone");
        try (RegistryHosts hosts = new RegistryHosts(RegistryHostsConfig.anonymous())) {
            BerthException e = assertThrows(BerthException.class,
                    () -> hosts.login(host(), new Credentials(USER, "wrong")));
            assertEquals(ErrorKind.UNAUTHENTICATED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("http://" + host() + "/v2/"), e.getMessage());
        }
    }

    @Test
    void loginDomain_isTheRegistryHost() {
        assertEquals("127.0.0.1:5000", RegistryHosts.loginDomain("127.0.0.1:5000"));
        assertEquals("127.0.0.1:5000", RegistryHosts.loginDomain("https://127.0.0.1:5000/v1/"));
        assertEquals("docker.io", RegistryHosts.loginDomain("https://index.docker.io/v1/"));
        assertEquals("docker.io", RegistryHosts.loginDomain(""));
    }
}
