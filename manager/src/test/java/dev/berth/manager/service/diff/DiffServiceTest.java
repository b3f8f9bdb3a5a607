package dev.berth.manager.service.diff;

import static dev.berth.manager.service.MetadataServices.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.services.diff.v1.ApplyRequest;
import dev.berth.api.services.diff.v1.DiffGrpc;
import dev.berth.api.services.diff.v1.DiffRequest;
import dev.berth.api.services.snapshots.v1.CommitSnapshotRequest;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotRequest;
import dev.berth.api.services.snapshots.v1.SnapshotsGrpc;
import dev.berth.api.services.snapshots.v1.ViewSnapshotRequest;
import dev.berth.api.types.Descriptor;
import dev.berth.api.types.Mount;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.diff.LayerApplier;
import dev.berth.manager.diff.LayerComputer;
import dev.berth.manager.diff.SyscallMounter;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarWriter;
import dev.berth.manager.service.InProcessGrpc;
import dev.berth.manager.service.MetadataServices;
import dev.berth.manager.service.snapshots.SnapshotsService;
import dev.berth.sys.LinuxSyscalls;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The diff service wired as berthd wires it (walking differ over the metadata content store, real syscalls),
 * next to the snapshots service, over the real overlay snapshotter in a temp dir. The child snapshot is mounted
 * with the kernel to change it, as a container would.
 */
class DiffServiceTest {

    private static final String LEASE = "test-lease";
    private static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";
    private static final Instant T = Instant.ofEpochSecond(1_700_000_000L);

    @TempDir
    Path dir;
    private final LinuxSyscalls sys = LinuxSyscalls.loadBuilt();
    private final SyscallMounter mounter = new SyscallMounter(sys);
    private final Deque<Path> mounted = new ArrayDeque<>();
    private MetadataServices meta;
    private InProcessGrpc grpc;
    private DiffGrpc.DiffBlockingStub diff;
    private SnapshotsGrpc.SnapshotsBlockingStub snapshots;
    private ContentStore content;

    @BeforeEach
    void serve() throws Exception {
        meta = new MetadataServices(dir);
        Path scratch = Files.createDirectories(dir.resolve("tmp"));
        ContentDiffer differ = new ContentDiffer(new LayerApplier(sys, mounter, scratch),
                new LayerComputer(sys, mounter, scratch));
        grpc = new InProcessGrpc(
                new DiffService(meta.db::contentStore, differ, true),
                new SnapshotsService((ns, name, lease) ->
                        meta.db.snapshotter(ns, name.isEmpty() ? "overlayfs" : name, lease), meta.exchange));
        meta.db.leases("default").create(LEASE, Map.of());
        diff = grpc.inNamespace(DiffGrpc.newBlockingStub(grpc.channel()), "default", LEASE);
        snapshots = grpc.inNamespace(SnapshotsGrpc.newBlockingStub(grpc.channel()), "default", LEASE);
        content = meta.db.contentStore("default", Optional.of(LEASE));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            while (!mounted.isEmpty()) {
                mounter.unmount(mounted.pop());
            }
        } finally {
            grpc.close();
            meta.close();
        }
    }

    /** Mounts {@code mounts} with the kernel on a fresh directory, unmounted after the test whatever happens. */
    private Path mount(List<Mount> mounts) throws IOException {
        Path target = Files.createTempDirectory(dir, "mnt-");
        mounter.mount(SnapshotsService.fromProto(mounts), target);
        mounted.push(target);
        return target;
    }

    private void unmount(Path target) throws IOException {
        mounted.remove(target);
        mounter.unmount(target);
    }

    private static byte[] layerTar() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        tar.write(TarEntry.directory("etc/", 0755, T), null);
        file(tar, "etc/hostname", "berth");
        file(tar, "etc/gone", "to be deleted");
        tar.write(TarEntry.symlink("etc/link", "hostname", T), null);
        tar.finish();
        return out.toByteArray();
    }

    private static void file(TarWriter tar, String name, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        tar.write(TarEntry.file(name, 0644, b.length, T), new ByteArrayInputStream(b));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Writes {@code blob} into the namespace's content, under the test's lease; answers its descriptor. */
    private Descriptor store(byte[] blob, String mediaType) throws Exception {
        Digest dgst = Digest.parse(sha256(blob));
        try (ContentWriter w = content.writer("test-" + dgst.encoded(), blob.length, dgst)) {
            w.write(ByteBuffer.wrap(blob));
            w.commit(blob.length, dgst, Map.of());
        }
        return Descriptor.newBuilder().setMediaType(mediaType).setDigest(dgst.toString()).setSize(blob.length)
                .build();
    }

    private byte[] read(String digest) throws IOException {
        try (InputStream in = Channels.newInputStream(content.read(Digest.parse(digest)))) {
            return in.readAllBytes();
        }
    }

    private List<Mount> prepare(String key, String parent) {
        return snapshots.prepare(PrepareSnapshotRequest.newBuilder().setKey(key).setParent(parent).build())
                .getMountsList();
    }

    private Descriptor apply(Descriptor layer, List<Mount> mounts) {
        return diff.apply(ApplyRequest.newBuilder().setDiff(layer).addAllMounts(mounts).build()).getApplied();
    }

    /** Applies the test layer onto a fresh root snapshot and commits it as {@code layer1}; answers its fs dir. */
    private Path baseLayer() throws Exception {
        List<Mount> extract = prepare("extract", "");
        apply(store(gzip(layerTar()), GZIP), extract);
        snapshots.commit(CommitSnapshotRequest.newBuilder().setName("layer1").setKey("extract").build());
        return Path.of(extract.getFirst().getSource());
    }

    @Test
    void apply_gzipLayer_answersTheDiffIdAndUnpacksIntoTheSnapshot() throws Exception {
        byte[] tar = layerTar();
        Descriptor layer = store(gzip(tar), GZIP);
        List<Mount> mounts = prepare("extract", "");
        assertEquals("bind", mounts.getFirst().getType());

        Descriptor applied = apply(layer, mounts);
        assertEquals(TAR, applied.getMediaType());
        assertEquals(sha256(tar), applied.getDigest(), "the diffID: sha256 of the uncompressed tar");
        assertEquals(tar.length, applied.getSize());

        Path fs = Path.of(mounts.getFirst().getSource());
        assertEquals("berth", Files.readString(fs.resolve("etc/hostname")));
        assertEquals(Path.of("hostname"), Files.readSymbolicLink(fs.resolve("etc/link")));
        Path rootfs = mount(mounts);
        assertEquals("berth", Files.readString(rootfs.resolve("etc/hostname")), "seen through a kernel mount too");
    }

    @Test
    void apply_plainTarOntoOverlayChild_writesItsUpperdir() throws Exception {
        Path lower = baseLayer();
        byte[] tar;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        file(w, "etc/hostname", "changed");
        file(w, "etc/.wh.gone", "");
        w.finish();
        tar = out.toByteArray();
        List<Mount> child = prepare("child", "layer1");
        Descriptor applied = apply(store(tar, TAR), child);
        assertEquals(sha256(tar), applied.getDigest(), "an uncompressed layer's digest is its diffID");

        Path merged = mount(child);
        assertEquals("changed", Files.readString(merged.resolve("etc/hostname")));
        assertFalse(Files.exists(merged.resolve("etc/gone")), "the whiteout hides the lower file");
        assertEquals("berth", Files.readString(lower.resolve("etc/hostname")), "the committed parent is unchanged");
        assertTrue(Files.exists(lower.resolve("etc/gone")));
    }

    @Test
    void diff_betweenCommittedParentAndChangedChild_writesLabelledLayerIntoContent() throws Exception {
        baseLayer();
        List<Mount> child = prepare("child", "layer1");
        assertEquals("overlay", child.getFirst().getType());
        Path rootfs = mount(child);
        try {
            assertEquals("berth", Files.readString(rootfs.resolve("etc/hostname")), "the parent's files show");
            Files.writeString(rootfs.resolve("etc/new"), "added in the container");
            Files.delete(rootfs.resolve("etc/gone"));
        } finally {
            unmount(rootfs);
        }
        List<Mount> parentView = snapshots.view(ViewSnapshotRequest.newBuilder().setKey("parent-view")
                .setParent("layer1").build()).getMountsList();

        Descriptor d = diff.diff(DiffRequest.newBuilder().addAllLeft(parentView).addAllRight(child)
                .putLabels("x", "y").build()).getDiff();
        assertEquals(GZIP, d.getMediaType(), "gzip when no media type is asked for");
        ContentInfo info = content.info(Digest.parse(d.getDigest()));
        assertEquals(d.getSize(), info.size());
        byte[] blob = read(d.getDigest());
        assertEquals(d.getDigest(), sha256(blob));
        byte[] tar = gunzip(blob);
        assertEquals(sha256(tar), info.labels().get(ContentDiffer.UNCOMPRESSED));
        assertEquals("y", info.labels().get("x"));
        String names = new String(tar, StandardCharsets.ISO_8859_1);
        assertTrue(names.contains("etc/new"), "the added file is in the layer");
        assertTrue(names.contains("etc/.wh.gone"), "the deleted file is a whiteout");
        assertFalse(names.contains("etc/hostname"), "the unchanged file is not");

        List<Mount> replay = prepare("replay", "layer1");
        Descriptor applied = apply(d, replay);
        assertEquals(info.labels().get(ContentDiffer.UNCOMPRESSED), applied.getDigest(),
                "applying the diff answers the diffID the label recorded");
        Path again = mount(replay);
        assertEquals("added in the container", Files.readString(again.resolve("etc/new")));
        assertFalse(Files.exists(again.resolve("etc/gone")));
    }

    @Test
    void diff_plainMediaType_hasNoUncompressedLabel() throws Exception {
        baseLayer();
        List<Mount> child = prepare("child", "layer1");
        Files.writeString(Path.of(child.getFirst().getOptionsList().stream().filter(o -> o.startsWith("upperdir="))
                .findFirst().orElseThrow().substring("upperdir=".length())).resolve("f"), "x");
        List<Mount> parentView = snapshots.view(ViewSnapshotRequest.newBuilder().setKey("pv").setParent("layer1")
                .build()).getMountsList();
        Descriptor d = diff.diff(DiffRequest.newBuilder().addAllLeft(parentView).addAllRight(child)
                .setMediaType(TAR).setRef("my-ref").build()).getDiff();
        assertEquals(TAR, d.getMediaType());
        assertFalse(content.info(Digest.parse(d.getDigest())).labels().containsKey(ContentDiffer.UNCOMPRESSED));
        BerthException ingest = assertThrows(BerthException.class, () -> content.status("my-ref"));
        assertEquals(ErrorKind.NOT_FOUND, ingest.kind(), "the ingest under the given ref was committed");
    }

    @Test
    void apply_errors_missingContent_unsupportedMediaType_badDigest_noNamespace() throws Exception {
        List<Mount> mounts = prepare("s", "");
        String missing = sha256("not stored".getBytes(StandardCharsets.UTF_8));
        String msg = assertCode(Status.Code.NOT_FOUND, () -> apply(Descriptor.newBuilder().setMediaType(GZIP)
                .setDigest(missing).setSize(10).build(), mounts));
        assertTrue(msg.contains(missing), msg);

        Descriptor json = store("{}".getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.config.v1+json");
        String type = assertCode(Status.Code.INVALID_ARGUMENT, () -> apply(json, mounts));
        assertTrue(type.contains("application/vnd.oci.image.config.v1+json"), type);

        String bad = assertCode(Status.Code.INVALID_ARGUMENT, () -> apply(Descriptor.newBuilder().setMediaType(GZIP)
                .setDigest("sha256:zz").build(), mounts));
        assertTrue(bad.startsWith("diff apply"), bad);

        var bare = DiffGrpc.newBlockingStub(grpc.channel());
        assertCode(Status.Code.INVALID_ARGUMENT, () -> bare.apply(ApplyRequest.newBuilder()
                .setDiff(store(gzip(layerTar()), GZIP)).addAllMounts(mounts).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> bare.diff(DiffRequest.getDefaultInstance()));
        try (var files = Files.list(Path.of(mounts.getFirst().getSource()))) {
            assertEquals(0, files.count(), "no failed apply wrote anything");
        }
    }
}
