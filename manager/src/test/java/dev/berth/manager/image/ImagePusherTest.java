package dev.berth.manager.image;

import static dev.berth.manager.image.PullFixture.NS;
import static dev.berth.manager.image.RegistryTestImages.files;
import static dev.berth.manager.image.RegistryTestImages.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.RegistryTestImages.Image;
import dev.berth.manager.image.RegistryTestImages.Kind;
import dev.berth.manager.image.RegistryTestImages.Layer;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.pull.ImagePuller;
import dev.berth.manager.image.pull.PullOptions;
import dev.berth.manager.image.pull.PullProgress;
import dev.berth.manager.image.push.ImagePusher;
import dev.berth.manager.image.push.PushProgress;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.image.registry.Registries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes pulled images to in-memory registries. */
class ImagePusherTest {

    private static final String SOURCE = "source.test:5000";
    private static final String OTHER = "other.test";

    @TempDir
    Path temp;
    private PullFixture fx;
    private final FakeRegistry source = new FakeRegistry(SOURCE);
    private final FakeRegistry other = new FakeRegistry(OTHER);
    private ImagePuller puller;
    private ImagePusher pusher;

    @BeforeEach
    void setUp() throws IOException {
        fx = new PullFixture(temp);
        Registries registries = (ref, credentials) -> switch (ref.domain()) {
            case SOURCE -> source;
            case OTHER -> other;
            default -> throw new AssertionError("unexpected registry " + ref.domain());
        };
        puller = new ImagePuller(registries, fx.db, new Unpacker(fx.applier), fx.pool);
        pusher = new ImagePusher(registries, fx.db);
    }

    @AfterEach
    void tearDown() throws IOException {
        fx.close();
    }

    private Image pulled() throws IOException {
        Image img = RegistryTestImages.publish(source, "team/app", "1", Platform.LINUX_AMD64, RegistryTestImages.list(
                layer(Kind.GZIP, files("a", "a")), layer(Kind.ZSTD, files("b", "b")),
                layer(Kind.TAR, files("c", "c"))));
        puller.pull(NS, SOURCE + "/team/app:1", PullOptions.defaults(), PullProgress.NONE);
        return img;
    }

    private static Set<Digest> blobs(Image img) {
        Set<Digest> out = new HashSet<>();
        out.add(img.config().digest());
        img.layers().forEach(l -> out.add(l.descriptor().digest()));
        return out;
    }

    @Test
    void push_toAnotherRegistry_uploadsEveryBlobOnceThenTheManifest() throws IOException {
        Image img = pulled();
        List<String> order = new ArrayList<>();
        PushProgress progress = new PushProgress() {
            @Override
            public synchronized void done(Descriptor blob) {
                order.add(blob.digest().toString());
            }
        };

        Descriptor root = pusher.push(NS, SOURCE + "/team/app:1", OTHER + "/copy:2", Platform.LINUX_AMD64,
                progress);

        assertEquals(img.manifest().digest(), root.digest());
        assertEquals(4, other.pushedBlobs.size());
        assertEquals(blobs(img), new HashSet<>(other.pushedBlobs));
        assertEquals(List.of("2"), other.pushedManifests);
        assertEquals(img.manifest().digest().toString(), order.getLast(), "the manifest goes last");
        assertTrue(other.mounts.isEmpty(), "no mount across registries");
        assertEquals(img.manifest().digest(), other.resolve(ImageReference.parse(OTHER + "/copy:2")).digest());

        pusher.push(NS, SOURCE + "/team/app:1", OTHER + "/copy:3", Platform.LINUX_AMD64, PushProgress.NONE);
        assertEquals(4, other.pushedBlobs.size(), "blobs the registry has are not uploaded again");
    }

    @Test
    void push_toAnotherRepositoryOfTheSourceRegistry_mountsTheBlobs() throws IOException {
        Image img = pulled();

        pusher.push(NS, SOURCE + "/team/app:1", SOURCE + "/mirror/app:1", Platform.LINUX_AMD64, PushProgress.NONE);

        assertTrue(source.pushedBlobs.isEmpty(), "nothing uploaded: " + source.pushedBlobs);
        Set<Digest> mounted = new HashSet<>();
        for (FakeRegistry.MountCall m : source.mounts) {
            assertEquals("mirror/app", m.repo());
            assertEquals("team/app", m.from());
            mounted.add(m.digest());
        }
        assertEquals(blobs(img), mounted);
        assertEquals(List.of("1"), source.pushedManifests);
        for (Digest d : blobs(img)) {
            assertTrue(source.hasBlob("mirror/app", d));
        }
    }

    @Test
    void push_indexWithOnePlatformLocal_pushesThatPlatformsManifestUnderTheTag() throws IOException {
        Image amd = RegistryTestImages.publish(source, "multi", null, Platform.LINUX_AMD64,
                RegistryTestImages.list(layer(Kind.GZIP, files("arch", "amd64"))));
        Image arm = RegistryTestImages.publish(source, "multi", null, Platform.parse("linux/arm64"),
                RegistryTestImages.list(layer(Kind.GZIP, files("arch", "arm64"))));
        Map<Platform, Image> byPlatform = new LinkedHashMap<>();
        byPlatform.put(Platform.LINUX_AMD64, amd);
        byPlatform.put(Platform.parse("linux/arm64"), arm);
        RegistryTestImages.publishIndex(source, "multi", "latest", byPlatform);
        puller.pull(NS, SOURCE + "/multi", PullOptions.defaults(), PullProgress.NONE);

        Descriptor root = pusher.push(NS, SOURCE + "/multi:latest", OTHER + "/multi:latest", Platform.LINUX_AMD64,
                PushProgress.NONE);

        assertEquals(amd.manifest().digest(), root.digest());
        Layer amdLayer = amd.layers().getFirst();
        assertEquals(Set.of(amd.config().digest(), amdLayer.descriptor().digest()),
                new HashSet<>(other.pushedBlobs));
        assertEquals(List.of("latest"), other.pushedManifests);
    }
}
