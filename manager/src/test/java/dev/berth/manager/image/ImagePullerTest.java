package dev.berth.manager.image;

import static dev.berth.manager.image.PullFixture.NS;
import static dev.berth.manager.image.RegistryTestImages.files;
import static dev.berth.manager.image.RegistryTestImages.layer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.RegistryTestImages.Image;
import dev.berth.manager.image.RegistryTestImages.Kind;
import dev.berth.manager.image.RegistryTestImages.Layer;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.pull.ImagePuller;
import dev.berth.manager.image.pull.PullOptions;
import dev.berth.manager.image.pull.PullProgress;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.snapshot.SnapshotInfo;
import dev.berth.manager.snapshot.SnapshotKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls images from an in-memory registry into a real metadata database, content store and overlay snapshotter. */
class ImagePullerTest {

    private static final String HOST = "registry.test:5000";
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path temp;
    private PullFixture fx;
    private FakeRegistry registry;
    private ImagePuller puller;
    /** The unpacker applies up to five layers at once, as on a machine with five cores. */
    private final ExecutorService applies = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final PullProgress recording = new PullProgress() {
        @Override
        public void exists(Descriptor blob) {
            events.add("exists " + blob.digest());
        }

        @Override
        public void done(Descriptor blob) {
            events.add("done " + blob.digest());
        }

        @Override
        public void extracting(Descriptor layer) {
            events.add("extracting " + layer.digest());
        }

        @Override
        public void unpacked(Descriptor layer, String chainId) {
            events.add("unpacked " + layer.digest());
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        fx = new PullFixture(temp);
        registry = new FakeRegistry(HOST);
        puller = new ImagePuller((ref, credentials) -> {
            assertEquals(HOST, ref.domain());
            return registry;
        }, fx.db, new Unpacker(fx.applier, applies, 5), fx.pool);
    }

    @AfterEach
    void tearDown() throws IOException {
        applies.shutdownNow();
        fx.close();
    }

    private ContentStore content() {
        return fx.db.contentStore(NS, Optional.empty());
    }

    private ImageRecord pull(String ref) throws IOException {
        return puller.pull(NS, ref, PullOptions.defaults(), recording);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Image threeLayerImage(String repo, String tag) {
        return RegistryTestImages.publish(registry, repo, tag, Platform.LINUX_AMD64, RegistryTestImages.list(
                layer(Kind.GZIP, files("etc/hostname", "base", "etc/gone", "x", "bin/tool", "v1")),
                layer(Kind.ZSTD, files("etc/motd", "hello", "bin/tool", "v2")),
                layer(Kind.TAR, files("etc/gone", null, "app/run", "run"))));
    }

    @Test
    void pull_manifest_recordsImageContentAndChainSnapshotsWithGcLabels() throws IOException {
        Image img = threeLayerImage("team/app", "1");

        ImageRecord rec = pull(HOST + "/team/app:1");

        assertEquals(HOST + "/team/app:1", rec.name());
        assertEquals(img.manifest().digest(), rec.target().digest());
        assertEquals(img.manifest().mediaType(), rec.target().mediaType());
        ContentInfo manifest = content().info(img.manifest().digest());
        assertEquals(img.config().digest().toString(), manifest.labels().get("containerd.io/gc.ref.content.config"));
        for (int i = 0; i < 3; i++) {
            Layer l = img.layers().get(i);
            assertEquals(l.descriptor().digest().toString(), manifest.labels().get("containerd.io/gc.ref.content.l." + i));
            ContentInfo info = content().info(l.descriptor().digest());
            assertEquals("team/app", info.labels().get("containerd.io/distribution.source." + HOST));
            assertEquals(l.diffId().toString(), info.labels().get("containerd.io/uncompressed"));
        }
        List<String> chain = img.chainIds();
        assertEquals(chain.get(2), content().info(img.config().digest()).labels()
                .get("containerd.io/gc.ref.snapshot.overlayfs"));
        for (int i = 0; i < 3; i++) {
            SnapshotInfo s = fx.snapshots().stat(chain.get(i));
            assertEquals(i == 0 ? "" : chain.get(i - 1), s.parent());
            assertEquals(chain.get(i), s.labels().get("containerd.io/snapshot.ref"));
        }
        assertEquals(3, fx.snapshots().list().size(), "only the committed chain, no extraction keys left");
        Map<String, String> tree = fx.inView(chain.get(2), root -> Map.of(
                "hostname", read(root.resolve("etc/hostname")), "motd", read(root.resolve("etc/motd")),
                "tool", read(root.resolve("bin/tool")), "run", read(root.resolve("app/run")),
                "gone", String.valueOf(Files.exists(root.resolve("etc/gone")))));
        assertEquals(Map.of("hostname", "base", "motd", "hello", "tool", "v2", "run", "run", "gone", "false"), tree);
        assertTrue(fx.db.leases(NS).list().isEmpty(), "the pull's lease is gone");
        assertTrue(events.contains("unpacked " + img.layers().get(2).descriptor().digest()));

        // ctr images rm: the collection that follows removes every blob and snapshot of the image
        fx.db.images(NS).delete(rec.name());
        fx.awaitGc();
        List<ContentInfo> left = content().list();
        assertTrue(left.isEmpty(), () -> "content left: " + left);
        assertTrue(fx.snapshots().list().isEmpty());
    }

    @Test
    void pull_index_selectsTheRequestedPlatform() throws IOException {
        Image amd = RegistryTestImages.publish(registry, "multi", null, Platform.LINUX_AMD64,
                RegistryTestImages.list(layer(Kind.GZIP, files("arch", "amd64"))));
        Image arm = RegistryTestImages.publish(registry, "multi", null, ARM64,
                RegistryTestImages.list(layer(Kind.GZIP, files("arch", "arm64"))));
        Map<Platform, Image> byPlatform = new LinkedHashMap<>();
        byPlatform.put(ARM64, arm);
        byPlatform.put(Platform.LINUX_AMD64, amd);
        Descriptor index = RegistryTestImages.publishIndex(registry, "multi", "latest", byPlatform);

        ImageRecord rec = pull(HOST + "/multi");
        assertEquals(index.digest(), rec.target().digest());
        assertEquals("amd64", fx.inView(amd.chainIds().getLast(), root -> read(root.resolve("arch"))));
        assertEquals(0, registry.fetchesOf(arm.manifest().digest()));
        assertEquals(amd.manifest().digest().toString(),
                content().info(index.digest()).labels().get("containerd.io/gc.ref.content.m.0"));

        puller.pull(NS, HOST + "/multi:latest", PullOptions.defaults().withPlatform(ARM64), recording);
        assertEquals("arm64", fx.inView(arm.chainIds().getLast(), root -> read(root.resolve("arch"))));

        BerthException e = assertThrows(BerthException.class, () -> puller.pull(NS, HOST + "/multi",
                PullOptions.defaults().withPlatform(Platform.parse("linux/s390x")), recording));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertEquals("pull " + HOST + "/multi:latest: no manifest for platform linux/s390x (the index has "
                + "linux/arm64, linux/amd64)", e.getMessage());
    }

    @Test
    void pull_blobNotMatchingItsDigest_isRefusedAndNothingOfItStays() throws IOException {
        Image img = RegistryTestImages.publish(registry, "bad", "1", Platform.LINUX_AMD64, RegistryTestImages.list(
                layer(Kind.GZIP, files("a", "a")), layer(Kind.TAR, files("b", "the right bytes"))));
        Layer bad = img.layers().get(1);
        byte[] wrong = bad.blob().clone();
        int at = new String(wrong, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("the right bytes");
        wrong[at] = 'T'; // still a valid tar of the same size: only the digest tells
        registry.serveInstead(bad.descriptor().digest(), wrong);

        BerthException e = assertThrows(BerthException.class, () -> pull(HOST + "/bad:1"));

        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected digest"), e.getMessage());
        assertTrue(fx.db.images(NS).list().isEmpty(), "no image record");
        fx.awaitGc();
        List<Digest> left = content().list().stream().map(ContentInfo::digest).toList();
        assertFalse(left.contains(bad.descriptor().digest()));
        assertFalse(left.contains(FakeRegistry.digest(wrong)));
        assertTrue(left.isEmpty(), "the lease's deletion collects the rest: " + left);
        assertTrue(content().listStatuses().stream().noneMatch(s -> s.ref().contains(bad.descriptor().digest()
                .encoded())), "the mismatching ingest is dropped");
        assertTrue(fx.snapshots().list().isEmpty());
        assertTrue(fx.db.leases(NS).list().isEmpty());
    }

    @Test
    void pull_interruptedMidBlob_resumesFromTheIngestOffsetWithinThePull() throws IOException {
        Layer big = layer(Kind.GZIP, Map.of("blob", random(1 << 20, 1)));
        Image img = RegistryTestImages.publish(registry, "resume", "1", Platform.LINUX_AMD64,
                RegistryTestImages.list(layer(Kind.GZIP, files("small", "s")), big));
        Digest bigDigest = big.descriptor().digest();
        registry.breakOnceAfter(bigDigest, 300_000);

        pull(HOST + "/resume:1");

        List<FakeRegistry.Fetch> fetches = registry.fetches.stream().filter(f -> f.digest().equals(bigDigest))
                .toList();
        assertEquals(List.of(0L, 300_000L), fetches.stream().map(FakeRegistry.Fetch::offset).toList());
        assertEquals(big.descriptor().size(), content().info(bigDigest).size());
        assertEquals(1 << 20, (int) fx.inView(img.chainIds().getLast(), root -> {
            try {
                return Files.size(root.resolve("blob"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).longValue());
    }

    @Test
    void pull_presentBlobsAndSnapshots_areNotFetchedOrAppliedAgain() throws IOException {
        Layer base = layer(Kind.GZIP, files("base", "b"));
        Image first = RegistryTestImages.publish(registry, "first", "1", Platform.LINUX_AMD64,
                RegistryTestImages.list(base, layer(Kind.ZSTD, files("one", "1"))));
        Image second = RegistryTestImages.publish(registry, "second", "1", Platform.LINUX_AMD64,
                RegistryTestImages.list(base, layer(Kind.ZSTD, files("two", "2"))));
        pull(HOST + "/first:1");
        events.clear();

        pull(HOST + "/second:1");
        assertEquals(1, registry.fetchesOf(base.descriptor().digest()), "the shared base is fetched once");
        assertTrue(events.contains("exists " + base.descriptor().digest()));
        assertFalse(events.contains("extracting " + base.descriptor().digest()), "its snapshot is reused");
        assertEquals(first.chainIds().getFirst(), fx.snapshots().stat(second.chainIds().getLast()).parent());

        long before = registry.fetches.size();
        pull(HOST + "/second:1");
        assertEquals(before, registry.fetches.size(), "a second pull of the same image fetches nothing");
    }

    @Test
    void pull_digestLieWhileASiblingStillDownloads_namesTheLyingBlob() throws IOException {
        Layer slow = layer(Kind.GZIP, Map.of("blob", random(1 << 20, 2)));
        Image img = RegistryTestImages.publish(registry, "lie", "1", Platform.LINUX_AMD64, RegistryTestImages.list(
                slow, layer(Kind.TAR, files("b", "the right bytes"))));
        Layer liar = img.layers().get(1);
        byte[] wrong = liar.blob().clone();
        int at = new String(wrong, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("the right bytes");
        wrong[at] = 'T';
        registry.serveInstead(liar.descriptor().digest(), wrong);
        // the base layer, streaming into the unpacker, pauses mid-way (a broken connection, resumed after 200 ms):
        // the lie is found meanwhile and cancels it
        registry.breakOnceAfter(slow.descriptor().digest(), 300_000);

        BerthException e = assertThrows(BerthException.class, () -> pull(HOST + "/lie:1"));

        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(liar.descriptor().digest().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected digest"), e.getMessage());
        assertNothingLeftOfAFailedPull();
    }

    @Test
    void pull_layerInflatingPastTheLimit_failsNamingTheLayer_andLeavesNothing() throws IOException {
        Layer bomb = layer(Kind.GZIP, Map.of("zeros", new byte[4 << 20])); // a few KiB that inflate to 4 MiB
        RegistryTestImages.publish(registry, "bomb", "1", Platform.LINUX_AMD64,
                RegistryTestImages.list(layer(Kind.GZIP, files("a", "a")), bomb));

        BerthException e = assertThrows(BerthException.class, () -> puller.pull(NS, HOST + "/bomb:1",
                PullOptions.defaults().withMaxUnpackedBytes(1 << 20), recording));

        assertEquals(ErrorKind.RESOURCE_EXHAUSTED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("unpack layer " + bomb.descriptor().digest()), e.getMessage());
        assertNothingLeftOfAFailedPull();

        ImageRecord rec = puller.pull(NS, HOST + "/bomb:1", PullOptions.defaults(), recording);
        assertEquals(HOST + "/bomb:1", rec.name(), "without a limit (the default) it pulls");
    }

    @Test
    void pull_configWithAWrongDiffId_isFailedPrecondition_andLeavesNoSnapshotNorLease() throws IOException {
        Layer good = layer(Kind.GZIP, files("a", "a"));
        Layer real = layer(Kind.GZIP, files("b", "b"));
        Layer claimed = new Layer(real.blob(), real.mediaType(), layer(Kind.TAR, files("c", "c")).diffId());
        RegistryTestImages.publish(registry, "diff", "1", Platform.LINUX_AMD64, RegistryTestImages.list(good, claimed));

        BerthException e = assertThrows(BerthException.class, () -> pull(HOST + "/diff:1"));

        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("unpack layer " + real.descriptor().digest() + ": diffID "),
                e.getMessage());
        assertNothingLeftOfAFailedPull();
    }

    private Image fiveLayerImage(String repo) {
        return RegistryTestImages.publish(registry, repo, "1", Platform.LINUX_AMD64, RegistryTestImages.list(
                layer(Kind.GZIP, files("etc/hostname", "base", "etc/gone", "x")),
                layer(Kind.ZSTD, files("etc/motd", "hello", "bin/tool", "v1")),
                layer(Kind.TAR, files("etc/gone", null, "app/run", "run")),
                layer(Kind.GZIP, files("bin/tool", "v2", "opt/four", "4")),
                layer(Kind.GZIP, files("etc/hostname", "top", "opt/five", "5"))));
    }

    @Test
    void pull_whileTheBaseLayerStalls_theLayersAboveAreUnpackedMeanwhile() throws Exception {
        Image img = fiveLayerImage("stall");
        CountDownLatch release = new CountDownLatch(1);
        registry.stallUntil(img.layers().getFirst().descriptor().digest(), release);
        List<String> lastFiles = List.of("etc/gone", "bin/tool", "app/run", "opt/four", "opt/five");
        CompletableFuture<ImageRecord> pulled = CompletableFuture.supplyAsync(() -> {
            try {
                return pull(HOST + "/stall:1");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, applies);
        try {
            // evidence without timing: the snapshot list shows layers 1 to 4 applied, each into its own extraction
            // snapshot, while the base has not sent a byte
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<Integer> applied = List.of();
            while (applied.size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                applied = appliedExtractions(img.chainIds(), lastFiles);
            }
            assertEquals(List.of(1, 2, 3, 4), applied, "layers 1 to 4 applied while the base stalls");
            assertFalse(pulled.isDone());
        } finally {
            release.countDown();
        }
        ImageRecord rec = pulled.get(60, TimeUnit.SECONDS);

        assertEquals(HOST + "/stall:1", rec.name());
        List<String> chains = img.chainIds();
        for (int i = 0; i < chains.size(); i++) {
            assertEquals(i == 0 ? "" : chains.get(i - 1), fx.snapshots().stat(chains.get(i)).parent());
        }
        assertTrue(fx.snapshots().list().stream().noneMatch(s -> s.name().startsWith("extract-")));
        fx.inView(chains.getLast(), root -> {
            assertEquals("top", read(root.resolve("etc/hostname")));
            assertEquals("v2", read(root.resolve("bin/tool")));
            assertFalse(Files.exists(root.resolve("etc/gone")), "the whiteout applied before its target's layer");
            return null;
        });
        List<String> unpacked = events.stream().filter(e -> e.startsWith("unpacked ")).toList();
        assertEquals(img.layers().stream().map(l -> "unpacked " + l.descriptor().digest()).toList(), unpacked,
                "committed base first");
    }

    @Test
    void pull_moreLayersThanAppliedAtOnce_theLaterOnesAreStillAppliedWhileTheyDownload() throws Exception {
        // two layers applied at once (as on a two-core machine) and three downloads at once: layer 2's download
        // starts with the first two, before the unpacker gets to it, and stalls after its first file
        ImagePuller twoAtATime = new ImagePuller((ref, credentials) -> registry, fx.db,
                new Unpacker(fx.applier, applies, 2), fx.pool);
        Map<String, byte[]> third = new LinkedHashMap<>();
        third.put("two/first", "2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        third.put("two/big", random(1 << 20, 3));
        Image img = RegistryTestImages.publish(registry, "follow", "1", Platform.LINUX_AMD64,
                RegistryTestImages.list(layer(Kind.TAR, files("zero", "0")), layer(Kind.TAR, files("one", "1")),
                        layer(Kind.TAR, third), layer(Kind.TAR, files("three", "3"))));
        CountDownLatch release = new CountDownLatch(1);
        registry.stallAfter(img.layers().get(2).descriptor().digest(), 64 << 10, release);
        CompletableFuture<ImageRecord> pulled = CompletableFuture.supplyAsync(() -> {
            try {
                return twoAtATime.pull(NS, HOST + "/follow:1", PullOptions.defaults(), recording);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, applies);
        List<String> firstFiles = List.of("zero", "one", "two/first", "three");
        try {
            // evidence without timing: layer 2's extraction holds its first file while its blob is half sent
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<Integer> applied = List.of();
            while (!applied.contains(2) && System.nanoTime() < deadline) {
                Thread.sleep(20);
                applied = appliedExtractions(img.chainIds(), firstFiles);
            }
            assertTrue(applied.contains(2), "layer 2 applied as far as it arrived: " + applied);
            assertFalse(events.contains("done " + img.layers().get(2).descriptor().digest()));
            assertFalse(pulled.isDone());
        } finally {
            release.countDown();
        }
        pulled.get(60, TimeUnit.SECONDS);

        fx.inView(img.chainIds().getLast(), root -> {
            assertEquals("2", read(root.resolve("two/first")));
            assertEquals(1 << 20, root.resolve("two/big").toFile().length());
            assertEquals("3", read(root.resolve("three")));
            return null;
        });
        assertTrue(fx.snapshots().list().stream().noneMatch(s -> s.name().startsWith("extract-")));
        assertEquals(List.of(), content().listStatuses(), "no ingest left");
        assertEquals(List.of(), openFilesUnder(temp), "every reader of an ingest is closed");
    }

    /**
     * The layers (by index) whose extraction snapshot holds, in its own directory, the file the layer writes last:
     * {@code lastFiles} by layer, {@code chains} the image's chain IDs, which the extractions' labels name.
     */
    private List<Integer> appliedExtractions(List<String> chains, List<String> lastFiles) throws IOException {
        List<Integer> found = new ArrayList<>();
        for (SnapshotInfo s : fx.snapshots().list()) {
            if (!s.name().startsWith("extract-") || s.kind() != SnapshotKind.ACTIVE) {
                continue;
            }
            int layer = chains.indexOf(s.labels().get(ImageLabels.SNAPSHOT_REF));
            Path own;
            try {
                own = Path.of(fx.snapshots().mounts(s.name()).getFirst().source());
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
                continue; // committed since the list
            }
            if (Files.isRegularFile(own.resolve(lastFiles.get(layer)))) {
                found.add(layer);
            }
        }
        return found.stream().sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void pull_aBlobNotMatchingItsDigest_inAnyLayer_failsNamingIt_andLeavesNothing(int bad) throws IOException {
        Image img = fiveLayerImage("bad" + bad);
        Layer liar = img.layers().get(bad);
        byte[] wrong = liar.blob().clone();
        wrong[wrong.length - 1] ^= 1; // the last byte: the layer's end (or its gzip/zstd trailer)
        registry.serveInstead(liar.descriptor().digest(), wrong);

        BerthException e = assertThrows(BerthException.class, () -> pull(HOST + "/bad" + bad + ":1"));

        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(liar.descriptor().digest().toString()), e.getMessage());
        assertNothingLeftOfAFailedPull();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4})
    void pull_aWrongDiffId_inAnyLayer_failsNamingIt_andLeavesNothing(int bad) throws IOException {
        Image good = fiveLayerImage("source" + bad);
        List<Layer> layers = new ArrayList<>(good.layers());
        Layer real = layers.get(bad);
        layers.set(bad, new Layer(real.blob(), real.mediaType(), layer(Kind.TAR, files("c", "c")).diffId()));
        RegistryTestImages.publish(registry, "diff" + bad, "1", Platform.LINUX_AMD64, layers);

        BerthException e = assertThrows(BerthException.class, () -> pull(HOST + "/diff" + bad + ":1"));

        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("unpack layer " + real.descriptor().digest() + ": diffID "),
                e.getMessage());
        assertNothingLeftOfAFailedPull();
    }

    @Test
    void pull_theBaseFailingBeforeTheUnpackerReachesTheLayersAbove_closesTheirIngestReaders() throws IOException {
        // one layer applied at a time, three downloaded at once: layers 1 and 2 are being followed in their
        // ingests when the base's wrong diffID fails the pull, and the unpacker never opens them
        ImagePuller oneAtATime = new ImagePuller((ref, credentials) -> registry, fx.db,
                new Unpacker(fx.applier, applies, 1), fx.pool);
        Image good = fiveLayerImage("early");
        List<Layer> layers = new ArrayList<>(good.layers());
        Layer real = layers.getFirst();
        layers.set(0, new Layer(real.blob(), real.mediaType(), layer(Kind.TAR, files("c", "c")).diffId()));
        RegistryTestImages.publish(registry, "early-diff", "1", Platform.LINUX_AMD64, layers);

        BerthException e = assertThrows(BerthException.class, () -> oneAtATime.pull(NS, HOST + "/early-diff:1",
                PullOptions.defaults(), recording));

        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind(), e.getMessage());
        assertNothingLeftOfAFailedPull();
    }

    /** No record, no snapshot (extractions and the chains the lease held), no lease, no blob of the pull. */
    private void assertNothingLeftOfAFailedPull() throws IOException {
        fx.awaitGc(); // the pull's lease deletion left the rest to the background collection
        assertTrue(fx.db.images(NS).list().isEmpty(), "no image record");
        assertEquals(List.of(), fx.snapshots().list().stream().map(SnapshotInfo::name).toList());
        assertTrue(fx.db.leases(NS).list().isEmpty(), "the pull's lease is gone");
        assertEquals(List.of(), content().list().stream().map(ContentInfo::digest).toList());
        assertEquals(List.of(), openFilesUnder(temp), "every reader of an ingest is closed");
    }

    /** The files under {@code dir} this JVM holds open (the readers a pull opens on its ingests). */
    private static List<String> openFilesUnder(Path dir) throws IOException {
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(dir.toString() + "/content/")) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // closed since the listing
                }
            }
        }
        return open;
    }
}
