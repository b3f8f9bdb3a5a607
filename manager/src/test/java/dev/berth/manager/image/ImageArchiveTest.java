package dev.berth.manager.image;

import static dev.berth.manager.image.TestImages.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.archive.ArchiveFormat;
import dev.berth.manager.image.archive.ImportOptions;
import dev.berth.manager.image.commit.CommitOptions;
import dev.berth.manager.image.commit.ConfigChanges;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataSnapshotter;
import dev.berth.manager.snapshot.Mount;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import, export and commit on real stores and real mounts, checked against skopeo where it has a say. */
class ImageArchiveTest {

    private static final String NS = "default";

    @TempDir
    Path dir;
    private ImageFixture f;
    private final TestImages images;

    ImageArchiveTest() throws IOException {
        images = new TestImages();
    }

    @BeforeEach
    void open() throws IOException {
        f = new ImageFixture(dir);
    }

    @AfterEach
    void close() throws IOException {
        f.close();
    }

    private List<ImageRecord> importBytes(byte[] archive) throws IOException {
        return f.importer.importArchive(NS, new ByteArrayInputStream(archive), ImportOptions.defaults());
    }

    private List<ImageRecord> importFile(Path archive, String namespace) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return f.importer.importArchive(namespace, in, ImportOptions.defaults());
        }
    }

    /** Reads {@code path} from the image's unpacked top snapshot through a view mounted with the kernel. */
    private String readFromImage(String namespace, ImageRecord image, String path) throws IOException {
        ResolvedImage r = ManifestResolver.resolve(f.db.contentStore(namespace, Optional.empty()), image.target(),
                Platform.LINUX_AMD64);
        String top = ChainIds.of(r.config().diffIds()).getLast();
        MetadataSnapshotter sn = f.db.snapshotter(namespace, "overlayfs", Optional.empty());
        List<Mount> mounts = sn.view("read-" + System.nanoTime(), top, Map.of());
        return Files.readString(f.mount(mounts).resolve(path));
    }

    @Test
    void importArchive_oci_recordsContentAndUnpacks() throws Exception {
        List<ImageRecord> imported = importBytes(images.ociArchive(null));

        assertEquals(1, imported.size());
        ImageRecord image = f.db.images(NS).get(TestImages.NAME);
        assertEquals(images.manifestDigest(), image.target().digest().toString());
        assertEquals(MediaTypes.OCI_MANIFEST, image.target().mediaType());
        for (byte[] blob : images.blobs()) {
            assertEquals(blob.length, f.db.contentStore(NS, Optional.empty()).info(
                    Digest.parse(TestImages.sha(blob))).size());
        }
        List<String> chains = ChainIds.of(List.of(TestImages.sha(images.layer1Tar),
                TestImages.sha(images.layer2Tar)));
        MetadataSnapshotter sn = f.db.snapshotter(NS, "overlayfs", Optional.empty());
        assertEquals(chains.get(0), sn.stat(chains.get(1)).parent());
        assertEquals(TestImages.HELLO, readFromImage(NS, image, "hello.txt"));
        assertEquals("sample\n", readFromImage(NS, image, "etc/hostname"));
        assertEquals(chains.get(1), f.db.contentStore(NS, Optional.empty())
                .info(Digest.parse(TestImages.sha(images.config))).labels().get("containerd.io/gc.ref.snapshot.overlayfs"));
        // the import's lease is gone and garbage collection keeps the image whole
        assertTrue(f.db.leases(NS).list().isEmpty());
        f.db.garbageCollect();
        assertEquals(TestImages.HELLO, readFromImage(NS, image, "hello.txt"));
    }

    @Test
    void importArchive_dockerArchiveBySkopeo() throws Exception {
        Path layout = images.writeLayout(dir.resolve("layout"));
        Path archive = dir.resolve("docker.tar");
        ImageFixture.run("skopeo", "--insecure-policy", "copy", "-q", "oci:" + layout + ":" + TestImages.REF_NAME,
                "docker-archive:" + archive + ":sample:1");

        List<ImageRecord> imported = importFile(archive, NS);

        assertEquals(List.of(TestImages.NAME), imported.stream().map(ImageRecord::name).toList());
        ImageRecord image = imported.getFirst();
        assertEquals(MediaTypes.DOCKER_MANIFEST, image.target().mediaType());
        ResolvedImage r = ManifestResolver.resolve(f.db.contentStore(NS, Optional.empty()), image.target(),
                Platform.LINUX_AMD64);
        assertEquals(2, r.manifest().layers().size());
        assertEquals(Arrays.asList(TestImages.sha(images.layer1Tar), TestImages.sha(images.layer2Tar)),
                r.config().diffIds());
        assertEquals(TestImages.HELLO, readFromImage(NS, image, "hello.txt"));
    }

    @Test
    void importArchive_ociArchiveBySkopeo() throws Exception {
        Path layout = images.writeLayout(dir.resolve("layout"));
        Path archive = dir.resolve("oci.tar");
        ImageFixture.run("skopeo", "--insecure-policy", "copy", "-q", "oci:" + layout + ":" + TestImages.REF_NAME,
                "oci-archive:" + archive + ":docker.io/library/other:2");

        List<ImageRecord> imported = importFile(archive, NS);

        assertEquals(List.of("docker.io/library/other:2"), imported.stream().map(ImageRecord::name).toList());
        assertEquals(TestImages.HELLO, readFromImage(NS, imported.getFirst(), "hello.txt"));
    }

    @Test
    void export_oci_skopeoInspectsItAndItRoundTrips() throws Exception {
        importBytes(images.ociArchive(null));
        Path archive = dir.resolve("out-oci.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            f.exporter.export(NS, List.of("sample:1"), ArchiveFormat.OCI, Platform.LINUX_AMD64, out);
        }

        JsonNode inspect = ContentBlobs.JSON.readTree(ImageFixture.run("skopeo", "inspect", "oci-archive:" + archive));
        assertEquals(List.of(TestImages.sha(images.layer1Gzip), TestImages.sha(images.layer2Tar)),
                strings(inspect.get("Layers")));
        assertEquals(images.manifestDigest(), inspect.get("Digest").asText());

        List<ImageRecord> again = importFile(archive, "other");
        assertEquals(TestImages.NAME, again.getFirst().name());
        assertEquals(images.manifestDigest(), again.getFirst().target().digest().toString());
        assertEquals(TestImages.HELLO, readFromImage("other", again.getFirst(), "hello.txt"));
    }

    @Test
    void export_docker_skopeoInspectsItAndItImports() throws Exception {
        importBytes(images.ociArchive(null));
        Path archive = dir.resolve("out-docker.tar");
        try (OutputStream out = Files.newOutputStream(archive)) {
            f.exporter.export(NS, List.of(TestImages.NAME), ArchiveFormat.DOCKER, Platform.LINUX_AMD64, out);
        }

        JsonNode inspect = ContentBlobs.JSON.readTree(ImageFixture.run("skopeo", "inspect",
                "docker-archive:" + archive));
        assertEquals(List.of(TestImages.sha(images.layer1Tar), TestImages.sha(images.layer2Tar)),
                strings(inspect.get("Layers")));

        List<ImageRecord> again = importFile(archive, "other");
        assertEquals(TestImages.NAME, again.getFirst().name());
        assertEquals(TestImages.HELLO, readFromImage("other", again.getFirst(), "hello.txt"));
    }

    @Test
    void importArchive_truncated_isInvalidAndRecordsNothing() throws Exception {
        byte[] whole = images.ociArchive(null);
        for (int cut : new int[] {whole.length / 3, 1536, whole.length - 2048}) {
            BerthException e = assertThrows(BerthException.class, () -> importBytes(Arrays.copyOf(whole, cut)));
            assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        }
        assertTrue(f.db.images(NS).list().isEmpty());
        assertTrue(f.db.leases(NS).list().isEmpty());
    }

    @Test
    void importArchive_blobNotMatchingItsDigest_isRefused() throws Exception {
        byte[] forged = new String(images.manifest, StandardCharsets.UTF_8).replace("\"schemaVersion\":2",
                "\"schemaVersion\":2 ").getBytes(StandardCharsets.UTF_8);

        BerthException e = assertThrows(BerthException.class, () -> importBytes(images.ociArchive(forged)));

        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        assertTrue(f.db.images(NS).list().isEmpty());
        f.db.garbageCollect();
        assertTrue(f.db.contentStore(NS, Optional.empty()).list().isEmpty());
    }

    @Test
    void commit_containerChangesBecomeANewImage() throws Exception {
        ImageRecord base = importBytes(images.ociArchive(null)).getFirst();
        ResolvedImage r = ManifestResolver.resolve(f.db.contentStore(NS, Optional.empty()), base.target(),
                Platform.LINUX_AMD64);
        String top = ChainIds.of(r.config().diffIds()).getLast();
        MetadataSnapshotter sn = f.db.snapshotter(NS, "overlayfs", Optional.empty());
        Path rootfs = f.mount(sn.prepare("ctr-1", top, Map.of()));
        Files.writeString(rootfs.resolve("hello"), "committed\n");
        ContainerRecord container = ContainerRecord.builder("ctr-1").image(base.name()).snapshotter("overlayfs")
                .snapshotKey("ctr-1").build();

        ImageRecord committed = f.committer.commit(NS, container, CommitOptions.of("committed:1")
                .withAuthor("tester").withComment("a change")
                .withChanges(List.of("CMD [\"cat\",\"/hello\"]", "ENV A=b", "EXPOSE 80")));

        assertEquals("docker.io/library/committed:1", committed.name());
        ResolvedImage c = ManifestResolver.resolve(f.db.contentStore(NS, Optional.empty()), committed.target(),
                Platform.LINUX_AMD64);
        assertEquals(MediaTypes.OCI_MANIFEST, c.manifestDescriptor().mediaType());
        assertEquals(3, c.config().diffIds().size());
        assertEquals(r.config().diffIds(), c.config().diffIds().subList(0, 2));
        assertEquals(List.of("cat", "/hello"), strings(c.config().process().get("Cmd")));
        assertEquals(List.of("PATH=/bin", "A=b"), strings(c.config().process().get("Env")));
        assertTrue(c.config().process().get("ExposedPorts").has("80/tcp"));
        assertEquals(3, c.config().json().get("history").size());
        assertEquals("tester", c.config().json().get("author").asText());
        assertEquals(MediaTypes.OCI_LAYER_GZIP, c.manifest().layers().get(2).mediaType());
        // the new layer holds just the change
        byte[] layer;
        try (InputStream in = new GZIPInputStream(java.nio.channels.Channels.newInputStream(
                f.db.contentStore(NS, Optional.empty()).read(Digest.parse(c.manifest().layers().get(2).digest()))))) {
            layer = in.readAllBytes();
        }
        assertEquals(List.of("hello"), tarNames(layer));
        assertEquals(c.config().diffIds().get(2), TestImages.sha(layer));
        // its chain snapshot exists and shows the file
        String newTop = ChainIds.of(c.config().diffIds()).getLast();
        assertEquals(top, sn.stat(newTop).parent());
        assertEquals("committed\n", readFromImage(NS, committed, "hello"));
    }

    private static List<String> tarNames(byte[] tar) throws IOException {
        dev.berth.manager.diff.TarReader reader = new dev.berth.manager.diff.TarReader(new ByteArrayInputStream(tar));
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        for (var e = reader.next(); e.isPresent(); e = reader.next()) {
            names.add(e.get().name());
        }
        return names;
    }

    @Test
    void configChanges_shellFormLabelsAndErrors() {
        var config = ContentBlobs.JSON.createObjectNode();
        ConfigChanges.apply(config, List.of("ENTRYPOINT echo hi", "LABEL a=1 \"b c\"=\"d e\"", "WORKDIR /w",
                "USER nobody", "ENV K v w", "EXPOSE 53/udp"));
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), strings(config.get("Entrypoint")));
        assertEquals("d e", config.get("Labels").get("b c").asText());
        assertEquals("/w", config.get("WorkingDir").asText());
        assertEquals("nobody", config.get("User").asText());
        assertEquals(List.of("K=v w"), strings(config.get("Env")));
        assertTrue(config.get("ExposedPorts").has("53/udp"));
        BerthException e = assertThrows(BerthException.class, () -> ConfigChanges.apply(config, List.of("RUN x")));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    }
}
