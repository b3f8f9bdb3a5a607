package dev.berth.manager.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.testsupport.LocalRegistry;
import dev.berth.testsupport.RegistryFront;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract against an anonymous {@code docker-registry}, plus what does not depend on authentication:
 * resumed fetches, mounts, errors, retries, mirrors, redirects and throughput.
 */
class AnonymousRegistryTest extends RegistryContract {
    private static final RegistryHostsConfig.Backoff FAST =
            new RegistryHostsConfig.Backoff(2, Duration.ofMillis(10), Duration.ofMillis(10));
    private static LocalRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        registry = LocalRegistry.anonymous();
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
        return false;
    }

    private static RegistryHosts anonymous() throws IOException {
        return new RegistryHosts(RegistryHostsConfig.anonymous());
    }

    /** Pushes {@code blobs} under {@code ref} and returns the registry client used. */
    private static void pushAll(Registry r, ImageReference ref, TestBlobs blobs) throws IOException {
        r.push(ref, blobs.layerDesc(), new ByteArrayInputStream(blobs.layer()));
        r.push(ref, blobs.configDesc(), new ByteArrayInputStream(blobs.config()));
        r.pushManifest(ref, blobs.manifestDesc(), blobs.manifest());
    }

    @Test
    void fetch_fromOffset_returnsTheRest() throws IOException {
        TestBlobs blobs = TestBlobs.random(10, 1_000_000);
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = anonymous(); RegistryFront front = RegistryFront.proxy(registry.host())) {
            Registry r = hosts.forHost(ref);
            pushAll(r, ref, blobs);
            byte[] tail = Arrays.copyOfRange(blobs.layer(), 300_000, blobs.layer().length);
            assertArrayEquals(tail, read(r.fetch(ref, blobs.layerDesc(), 300_000)));
            assertEquals(0, read(r.fetch(ref, blobs.layerDesc(), blobs.layer().length)).length);

            // through a front that redirects blob GETs to the registry (307) and one that ignores Range (200)
            ImageReference viaFront = ImageReference.parse(front.host() + "/" + ref.path() + ":v1");
            Registry f = hosts.forHost(viaFront);
            front.redirectBlobs(true);
            assertArrayEquals(tail, read(f.fetch(viaFront, blobs.layerDesc(), 300_000)));
            front.redirectBlobs(false);
            front.ignoreRange(true);
            assertArrayEquals(tail, read(f.fetch(viaFront, blobs.layerDesc(), 300_000)));
        }
    }

    @Test
    void mount_fromOtherRepository_thenExists() throws IOException {
        TestBlobs blobs = TestBlobs.random(11, 50_000);
        ImageReference source = uniqueRef("v1");
        ImageReference target = uniqueRef("v1");
        try (RegistryHosts hosts = anonymous()) {
            Registry r = hosts.forHost(source);
            r.push(source, blobs.layerDesc(), new ByteArrayInputStream(blobs.layer()));
            assertFalse(r.exists(target, blobs.layerDesc()));
            assertTrue(r.mount(target, blobs.layerDesc(), source.path()));
            assertTrue(r.exists(target, blobs.layerDesc()));
            assertArrayEquals(blobs.layer(), read(r.fetch(target, blobs.layerDesc(), 0)));

            Descriptor absent = TestBlobs.random(12, 10).layerDesc();
            assertFalse(r.mount(target, absent, source.repository()), "202: the caller uploads instead");
        }
    }

    @Test
    void resolve_unknownTag_notFoundNamingTheReference() throws IOException {
        ImageReference ref = uniqueRef("missing");
        try (RegistryHosts hosts = anonymous()) {
            BerthException e = assertThrows(BerthException.class, () -> hosts.forHost(ref).resolve(ref));
            assertEquals(ErrorKind.NOT_FOUND, e.kind());
            assertEquals("pull " + ref + ": manifest unknown", e.getMessage());

            Descriptor blob = TestBlobs.random(13, 10).layerDesc();
            BerthException b = assertThrows(BerthException.class, () -> hosts.forHost(ref).fetch(ref, blob, 0));
            assertEquals(ErrorKind.NOT_FOUND, b.kind());
            assertEquals("pull " + ref.repository() + "@" + blob.digest() + ": blob unknown to registry",
                    b.getMessage());
        }
    }

    @Test
    void serverErrors_retriedThenSucceed() throws IOException {
        TestBlobs blobs = TestBlobs.random(14, 10_000);
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = anonymous(); RegistryFront front = RegistryFront.proxy(registry.host())) {
            pushAll(hosts.forHost(ref), ref, blobs);
            ImageReference viaFront = ImageReference.parse(front.host() + "/" + ref.path() + ":v1");
            front.failNext(2);
            assertEquals(blobs.manifestDesc(), hosts.forHost(viaFront).resolve(viaFront));
            assertEquals(3, front.requests());
            front.failNext(3);
            assertArrayEquals(blobs.layer(), read(hosts.forHost(viaFront).fetch(viaFront, blobs.layerDesc(), 0)));
            assertEquals(7, front.requests());
            front.dropNext(2);
            assertArrayEquals(blobs.manifest(), read(hosts.forHost(viaFront).fetch(viaFront, blobs.manifestDesc(), 0)));
            assertEquals(10, front.requests(), "lost connections are retried like 5xx");
        }
    }

    @Test
    void persistentServerErrors_unavailable() throws IOException {
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = anonymous(); RegistryFront front = RegistryFront.proxy(registry.host())) {
            ImageReference viaFront = ImageReference.parse(front.host() + "/" + ref.path() + ":v1");
            front.failNext(Integer.MAX_VALUE);
            long start = System.nanoTime();
            BerthException e = assertThrows(BerthException.class, () -> hosts.forHost(viaFront).resolve(viaFront));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(ErrorKind.UNAVAILABLE, e.kind());
            assertEquals("pull " + viaFront + ": registry answered 503", e.getMessage(), "a HEAD has no error body");
            assertEquals(RegistryHostsConfig.Backoff.DEFAULT.attempts(), front.requests());
            assertTrue(millis >= 200 + 400 + 800, "backed off 200, 400 and 800 ms: " + millis + " ms");
        }
    }

    @Test
    void unreachable_unavailableAfterRetries() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ImageReference ref = ImageReference.parse("127.0.0.1:" + closedPort + "/berth/gone:v1");
        try (RegistryHosts hosts = new RegistryHosts(new RegistryHostsConfig(Optional.empty(), List.of(), Map.of(),
                FAST))) {
            BerthException e = assertThrows(BerthException.class, () -> hosts.forHost(ref).resolve(ref));
            assertEquals(ErrorKind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage().startsWith("pull " + ref + ": 127.0.0.1:" + closedPort
                    + " unreachable after 2 attempts"), e.getMessage());
        }
    }

    @Test
    void mirrors_triedInOrderBeforeTheRegistry() throws IOException {
        TestBlobs blobs = TestBlobs.random(15, 10_000);
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts plain = anonymous()) {
            pushAll(plain.forHost(ref), ref, blobs);
        }
        try (RegistryFront origin = RegistryFront.proxy(registry.host());
                RegistryFront broken = RegistryFront.proxy(registry.host())) {
            broken.failNext(Integer.MAX_VALUE);
            ImageReference viaOrigin = ImageReference.parse(origin.host() + "/" + ref.path() + ":v1");
            RegistryHostsConfig config = new RegistryHostsConfig(Optional.empty(), List.of(),
                    Map.of(origin.host(), List.of(broken.host(), "http://" + registry.host() + "/")), FAST);
            try (RegistryHosts hosts = new RegistryHosts(config)) {
                Registry r = hosts.forHost(viaOrigin);
                assertEquals(blobs.manifestDesc(), r.resolve(viaOrigin));
                assertArrayEquals(blobs.layer(), read(r.fetch(viaOrigin, blobs.layerDesc(), 0)));
                assertEquals(0, origin.requests(), "a working mirror spares the registry");
                assertEquals(4, broken.requests(), "the broken mirror first, twice per pull");

                ImageReference onlyAtOrigin = ImageReference.parse(origin.host() + "/" + ref.path() + ":absent");
                BerthException e = assertThrows(BerthException.class, () -> r.resolve(onlyAtOrigin));
                assertEquals(ErrorKind.NOT_FOUND, e.kind(), "the registry's own answer is the one reported");
                assertEquals(1, origin.requests());
            }
        }
    }

    @Test
    void fetch_50MegabyteBlob_throughput() throws IOException, NoSuchAlgorithmException {
        int size = 50 * 1024 * 1024;
        TestBlobs blobs = TestBlobs.random(16, size);
        ImageReference ref = uniqueRef("big");
        try (RegistryHosts hosts = anonymous()) {
            Registry r = hosts.forHost(ref);
            r.push(ref, blobs.layerDesc(), new ByteArrayInputStream(blobs.layer()));
            for (int round = 1; round <= 3; round++) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long start = System.nanoTime();
                long n;
                try (InputStream in = new DigestInputStream(r.fetch(ref, blobs.layerDesc(), 0), sha)) {
                    n = in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertEquals(size, n);
                assertEquals(blobs.layerDesc().digest(), dev.berth.manager.content.Digest.sha256(sha.digest()));
                System.out.printf("registry fetch of a 50 MB blob, round %d: %.0f MB/s (%.3f s, sha256 verified)%n",
                        round, size / 1e6 / seconds, seconds);
            }
        }
    }

    @Test
    void manifest_resolvedByHeadWithoutGet() throws IOException {
        TestBlobs blobs = TestBlobs.random(17, 1000);
        ImageReference ref = uniqueRef("v1");
        try (RegistryHosts hosts = anonymous(); RegistryFront front = RegistryFront.proxy(registry.host())) {
            pushAll(hosts.forHost(ref), ref, blobs);
            ImageReference viaFront = ImageReference.parse(front.host() + "/" + ref.path() + ":v1");
            Descriptor d = hosts.forHost(viaFront).resolve(viaFront);
            assertEquals(MediaTypes.OCI_MANIFEST, d.mediaType());
            assertEquals(1, front.requests(), "one HEAD");
        }
    }
}
