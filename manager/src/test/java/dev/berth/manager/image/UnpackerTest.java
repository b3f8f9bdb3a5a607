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
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.image.RegistryTestImages.Entry;
import dev.berth.manager.snapshot.copy.CopySnapshotter;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one unpacker on a real metadata database, content store and overlay snapshotter. */
class UnpackerTest {

    @TempDir
    Path temp;
    private PullFixture fx;
    private Unpacker unpacker;
    private final ExecutorService applies = Executors.newVirtualThreadPerTaskExecutor();
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
        applies.shutdownNow();
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

    /**
     * Five layers, none listing the directories it writes in but the base: a whiteout and a replaced file across
     * layers, and a directory whose owner and mode only the base gives.
     */
    private static List<Layer> fiveLayers() {
        byte[] base = "base".getBytes(StandardCharsets.UTF_8);
        return List.of(
                layer(Kind.GZIP, List.of(
                        Entry.of(new TarEntry("etc/", TarEntry.Type.DIRECTORY, 0750, 7, 8, 0,
                                RegistryTestImages.T, "", 0, 0, Map.of())),
                        new Entry(TarEntry.file("etc/hostname", 0644, base.length, RegistryTestImages.T), base),
                        new Entry(TarEntry.file("etc/gone", 0644, 1, RegistryTestImages.T), new byte[] {'x'}))),
                layer(Kind.ZSTD, files("etc/motd", "hello", "bin/tool", "v1")),
                layer(Kind.TAR, files("etc/gone", null, "app/run", "run")),
                layer(Kind.GZIP, files("bin/tool", "v2")),
                layer(Kind.GZIP, files("etc/hostname", "top")));
    }

    /** The chains of {@code layers} are committed, each on the one below, and the top shows the whole stack. */
    private void assertUnpackedAsOneStack(List<Layer> layers, String top) throws IOException {
        List<String> chains = ChainIds.of(diffIds(layers));
        assertEquals(chains.getLast(), top);
        assertEquals(chains.stream().sorted().toList(), snapshotNames(), "the chains, no extract-* keys");
        for (int i = 0; i < chains.size(); i++) {
            assertEquals(i == 0 ? "" : chains.get(i - 1), snapshots.stat(chains.get(i)).parent());
            assertEquals(layers.get(i).diffId().toString(), content.info(layers.get(i).descriptor().digest())
                    .labels().get("containerd.io/uncompressed"));
        }
        fx.inView(top, root -> {
            assertEquals("top", read(root.resolve("etc/hostname")));
            assertEquals("hello", read(root.resolve("etc/motd")));
            assertEquals("v2", read(root.resolve("bin/tool")));
            assertEquals("run", read(root.resolve("app/run")));
            assertTrue(Files.notExists(root.resolve("etc/gone")), "the whiteout of a layer applied on its own");
            FileStat etc = stat(root.resolve("etc"));
            assertEquals(0750, etc.mode() & 07777, "etc as the base has it, not as an unlisted directory");
            assertEquals(7, etc.uid());
            assertEquals(8, etc.gid());
            return null;
        });
    }

    @Test
    void unpack_inParallel_appliesTheLayersAboveWhileTheBaseWaits_thenChainsThemInOrder() throws IOException {
        List<Layer> layers = fiveLayers();
        ResolvedImage image = store(layers, diffIds(layers));
        Set<Integer> readToTheEnd = ConcurrentHashMap.newKeySet();
        CountDownLatch othersRead = new CountDownLatch(layers.size() - 1);
        LayerSource stored = LayerSource.of(content);
        // the base's bytes come only once every other layer was read to its end (and so applied): an unpacker that
        // applied the layers one after another would wait here for ever
        LayerSource baseLast = (index, layer) -> {
            if (index == 0) {
                try {
                    if (!othersRead.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("layers 1 to 4 were not applied while the base waited");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
                return stored.open(index, layer);
            }
            return new FilterInputStream(stored.open(index, layer)) {
                @Override
                public void close() throws IOException {
                    super.close();
                    if (readToTheEnd.add(index)) {
                        othersRead.countDown();
                    }
                }
            };
        };

        String top = new Unpacker(fx.applier, applies, layers.size())
                .unpack(content, snapshots, image, baseLast, Unpacker.UNLIMITED);

        assertUnpackedAsOneStack(layers, top);
    }

    @Test
    void unpack_inParallelTwoAtATime_givesTheSameStack() throws IOException {
        List<Layer> layers = fiveLayers();
        String top = new Unpacker(fx.applier, applies, 2).unpack(content, snapshots,
                store(layers, diffIds(layers)), Unpacker.UNLIMITED);
        assertUnpackedAsOneStack(layers, top);
    }

    @Test
    void unpack_oneAfterAnother_givesTheSameStack() throws IOException {
        List<Layer> layers = fiveLayers();
        String top = unpacker.unpack(content, snapshots, store(layers, diffIds(layers)), Unpacker.UNLIMITED);
        assertUnpackedAsOneStack(layers, top);
    }

    @Test
    void unpack_inParallel_aHardLinkToAFileBelow_isAppliedAgainOnTheChainBelow() throws IOException {
        List<Layer> layers = List.of(
                layer(Kind.GZIP, files("bin/busybox", "the binary")),
                layer(Kind.GZIP, List.of(Entry.of(TarEntry.directory("bin/", 0755, RegistryTestImages.T)),
                        Entry.of(TarEntry.hardLink("bin/sh", "bin/busybox", RegistryTestImages.T)))),
                layer(Kind.GZIP, files("etc/motd", "hi")));
        ResolvedImage image = store(layers, diffIds(layers));

        String top = new Unpacker(fx.applier, applies, 3).unpack(content, snapshots, image, Unpacker.UNLIMITED);

        List<String> chains = ChainIds.of(diffIds(layers));
        assertEquals(chains.stream().sorted().toList(), snapshotNames());
        assertEquals(chains.get(1), snapshots.stat(top).parent());
        assertEquals("the binary", fx.inView(top, root -> read(root.resolve("bin/sh"))));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void unpack_inParallel_aLayerWithAWrongDiffId_failsNamingIt_andLeavesNoExtractionSnapshot(int bad)
            throws IOException {
        List<Layer> layers = fiveLayers();
        List<String> claimed = new ArrayList<>(diffIds(layers));
        claimed.set(bad, layer(Kind.TAR, files("other", "x")).diffId().toString());
        ResolvedImage image = store(layers, claimed);

        BerthException e = assertThrows(BerthException.class, () -> new Unpacker(fx.applier, applies, 5)
                .unpack(content, snapshots, image, Unpacker.UNLIMITED));

        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("unpack layer " + layers.get(bad).descriptor().digest() + ": diffID "),
                e.getMessage());
        List<String> below = ChainIds.of(claimed).subList(0, bad);
        assertTrue(below.containsAll(snapshotNames()), "no extraction, only chains below the bad layer (the "
                + "caller's lease holds them): " + snapshotNames());
        assertTrue(content.info(image.configDescriptor().digest()).labels().isEmpty(), "no snapshot label");
    }

    @Test
    void parallelism_isOneOnASnapshotterThatCopiesItsParent() throws IOException {
        Unpacker parallel = new Unpacker(fx.applier, applies, 4);
        assertEquals(4, parallel.parallelism(snapshots));
        try (CopySnapshotter copy = CopySnapshotter.open(temp.resolve("native"), fx.sys)) {
            assertEquals(1, parallel.parallelism(copy));
        }
    }

    private static FileStat stat(Path p) {
        try {
            return FileStat.lstat(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
