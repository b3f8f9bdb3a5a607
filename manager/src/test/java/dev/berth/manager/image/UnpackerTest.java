package dev.berth.manager.image;

import static dev.berth.manager.image.PullFixture.NS;
import static dev.berth.manager.image.RegistryTestImages.files;
import static dev.berth.manager.image.RegistryTestImages.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.RegistryTestImages.Kind;
import dev.berth.manager.image.RegistryTestImages.Layer;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.metadata.MetadataSnapshotter;
import dev.berth.manager.snapshot.SnapshotInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one unpacker on a real metadata database, content store and overlay snapshotter. */
class UnpackerTest {

    @TempDir
    Path temp;
    private PullFixture fx;
    private Unpacker unpacker;
    private ContentStore content;
    private MetadataSnapshotter snapshots;

    @BeforeEach
    void setUp() throws IOException {
        fx = new PullFixture(temp);
        unpacker = new Unpacker(fx.applier);
        // under a lease, as every caller of the unpacker: nothing references what it writes before an image does
        fx.db.leases(NS).create("unpacker-test", Map.of());
        content = fx.db.contentStore(NS, Optional.of("unpacker-test"));
        snapshots = fx.db.snapshotter(NS, "overlayfs", Optional.of("unpacker-test"));
    }

    @AfterEach
    void tearDown() throws IOException {
        fx.close();
    }

    /** Stores the layers and a config naming {@code diffIds}; answers the image as the unpacker takes it. */
    private ResolvedImage store(List<Layer> layers, List<String> diffIds) throws IOException {
        ObjectNode json = ContentBlobs.JSON.createObjectNode();
        json.put("architecture", "amd64").put("os", "linux");
        var ids = json.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        diffIds.forEach(ids::add);
        Descriptor config = ContentBlobs.write(content, MediaTypes.OCI_CONFIG,
                ContentBlobs.JSON.writeValueAsBytes(json), Map.of());
        List<OciDescriptor> descriptors = new ArrayList<>();
        for (Layer l : layers) {
            descriptors.add(OciDescriptor.of(ContentBlobs.write(content, l.mediaType(), l.blob(), Map.of())));
        }
        Manifest manifest = new Manifest(2, MediaTypes.OCI_MANIFEST, OciDescriptor.of(config), descriptors, null);
        Descriptor md = ContentBlobs.write(content, MediaTypes.OCI_MANIFEST,
                ContentBlobs.JSON.writeValueAsBytes(manifest), Map.of());
        return new ResolvedImage(md, manifest, config, new ImageConfig(json));
    }

    private static List<String> diffIds(List<Layer> layers) {
        return layers.stream().map(l -> l.diffId().toString()).toList();
    }

    private List<String> snapshotNames() throws IOException {
        return snapshots.list().stream().map(SnapshotInfo::name).sorted().toList();
    }

    @Test
    void unpack_layers_commitsChainsLabelledAsContainerdDoes() throws IOException {
        List<Layer> layers = List.of(layer(Kind.GZIP, files("a", "1")), layer(Kind.ZSTD, files("b", "2")),
                layer(Kind.TAR, files("c", "3")));
        ResolvedImage image = store(layers, diffIds(layers));
        List<String> chains = ChainIds.of(diffIds(layers));

        String top = unpacker.unpack(content, snapshots, image, Unpacker.UNLIMITED);

        assertEquals(chains.getLast(), top);
        assertEquals(chains.stream().sorted().toList(), snapshotNames(), "the chains, no extract-* keys");
        for (int i = 0; i < 3; i++) {
            SnapshotInfo s = snapshots.stat(chains.get(i));
            assertEquals(i == 0 ? "" : chains.get(i - 1), s.parent());
            assertEquals(chains.get(i), s.labels().get(ImageLabels.SNAPSHOT_REF));
            assertEquals(layers.get(i).diffId().toString(), content.info(layers.get(i).descriptor().digest())
                    .labels().get("containerd.io/uncompressed"));
        }
        assertEquals(top, content.info(image.configDescriptor().digest()).labels()
                .get("containerd.io/gc.ref.snapshot.overlayfs"));
        assertEquals("3", fx.inView(top, root -> read(root.resolve("c"))));
        assertEquals(3, unpacker.firstMissing(snapshots, diffIds(layers)));
    }

    @Test
    void unpack_diffIdNotTheConfigs_isFailedPrecondition_andLeavesNoExtractSnapshot() throws IOException {
        List<Layer> layers = List.of(layer(Kind.GZIP, files("a", "1")), layer(Kind.GZIP, files("b", "2")));
        String wrong = layer(Kind.TAR, files("other", "x")).diffId().toString();
        ResolvedImage image = store(layers, List.of(layers.get(0).diffId().toString(), wrong));

        BerthException e = assertThrows(BerthException.class,
                () -> unpacker.unpack(content, snapshots, image, Unpacker.UNLIMITED));

        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind(), e.getMessage());
        assertEquals("unpack layer " + layers.get(1).descriptor().digest() + ": diffID " + layers.get(1).diffId()
                + " does not match the config's " + wrong, e.getMessage());
        assertEquals(List.of(layers.get(0).diffId().toString()), snapshotNames(),
                "the good base stays (the caller's lease holds it), the failed extraction is gone");
        assertTrue(content.info(image.configDescriptor().digest()).labels().isEmpty(), "no snapshot label");
    }

    @Test
    void unpack_moreBytesThanTheLimit_isResourceExhaustedNamingTheLayer_andLeavesNoExtractSnapshot()
            throws IOException {
        Layer base = layer(Kind.GZIP, files("a", "small"));
        Layer bomb = layer(Kind.GZIP, Map.of("zeros", new byte[4 << 20])); // 4 MiB of zeros: a few KiB gzipped
        assertTrue(bomb.blob().length < 64 << 10, "the bomb is small: " + bomb.blob().length);
        List<Layer> layers = List.of(base, bomb);
        ResolvedImage image = store(layers, diffIds(layers));

        BerthException e = assertThrows(BerthException.class,
                () -> unpacker.unpack(content, snapshots, image, 1 << 20));

        assertEquals(ErrorKind.RESOURCE_EXHAUSTED, e.kind(), e.getMessage());
        assertEquals("unpack layer " + bomb.descriptor().digest() + ": more than 1048576 bytes unpacked (the limit "
                + "on unpacked bytes)", e.getMessage());
        assertEquals(List.of(base.diffId().toString()), snapshotNames());

        assertEquals(ChainIds.of(diffIds(layers)).getLast(),
                unpacker.unpack(content, snapshots, image, 8 << 20), "within a larger limit it unpacks");
    }

    @Test
    void unpack_applyFailsAndTheSourceDisownsTheBytes_reportsTheSourcesVerdict() throws IOException {
        Layer good = layer(Kind.GZIP, files("a", "1"));
        ResolvedImage image = store(List.of(good), diffIds(List.of(good)));
        BerthException lie = BerthException.failedPrecondition("pull x: unexpected digest");
        LayerSource garbage = new LayerSource() {
            @Override
            public InputStream open(int index, Descriptor layer) {
                return new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
            }

            @Override
            public void verify(int index, Descriptor layer) {
                throw lie;
            }
        };

        BerthException e = assertThrows(BerthException.class,
                () -> unpacker.unpack(content, snapshots, image, garbage, Unpacker.UNLIMITED));

        assertEquals(lie, e);
        assertEquals(1, e.getSuppressed().length, "the apply's own complaint comes along");
        assertTrue(snapshotNames().isEmpty());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
