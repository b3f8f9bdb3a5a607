package dev.berth.manager.image.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.Compression;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarWriter;
import dev.berth.manager.image.ContentBlobs;
import dev.berth.manager.image.ManifestResolver;
import dev.berth.manager.image.ResolvedImage;
import dev.berth.manager.image.oci.Index;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes images as an OCI image layout archive or a {@code docker save} archive, for one platform. Entries carry
 * the epoch as their time, so exporting the same images twice gives the same bytes.
 *
 * <p>OCI: {@code oci-layout}, {@code blobs/sha256/<hex>} (manifest, config and layers as stored), and
 * {@code index.json} naming each image with {@code org.opencontainers.image.ref.name} (its tag) and
 * {@code io.containerd.image.name} (its full name), as containerd's exporter. Docker: {@code <hex>.json} (the
 * config), {@code <diffID hex>/layer.tar} (each layer uncompressed), {@code manifest.json} with RepoTags in docker's
 * short form, and {@code repositories}.
 */
public final class ImageExporter {

    private static final Instant MTIME = Instant.EPOCH;

    private final MetadataDb db;

    public ImageExporter(MetadataDb db) {
        this.db = db;
    }

    /** NOT_FOUND naming the image if one of {@code names} (as given or normalized) is not recorded. */
    public void export(String namespace, List<String> names, ArchiveFormat format, Platform platform,
                       OutputStream out) throws IOException {
        if (names.isEmpty()) {
            throw BerthException.invalidArgument("export: no image named");
        }
        ContentStore content = db.contentStore(namespace, Optional.empty());
        Map<String, ResolvedImage> images = new LinkedHashMap<>();
        for (String name : names) {
            ImageRecord record = find(namespace, name);
            images.put(record.name(), ManifestResolver.resolve(content, record.target(), platform));
        }
        TarWriter tar = new TarWriter(out);
        if (format == ArchiveFormat.OCI) {
            writeOci(content, images, tar);
        } else {
            writeDocker(content, images, tar);
        }
        tar.finish();
        out.flush();
    }

    private ImageRecord find(String namespace, String name) throws IOException {
        try {
            return db.images(namespace).get(name);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            String normalized = ImageReference.parse(name).toString();
            if (normalized.equals(name)) {
                throw e;
            }
            return db.images(namespace).get(normalized);
        }
    }

    private static void writeOci(ContentStore content, Map<String, ResolvedImage> images, TarWriter tar)
            throws IOException {
        writeBytes(tar, ArchiveReader.OCI_LAYOUT, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
        tar.write(TarEntry.directory("blobs/", 0755, MTIME), null);
        tar.write(TarEntry.directory("blobs/sha256/", 0755, MTIME), null);
        Set<Digest> written = new HashSet<>();
        List<OciDescriptor> entries = new ArrayList<>();
        for (Map.Entry<String, ResolvedImage> e : images.entrySet()) {
            ResolvedImage image = e.getValue();
            List<Descriptor> blobs = new ArrayList<>();
            blobs.add(image.manifestDescriptor());
            blobs.add(image.configDescriptor());
            image.manifest().layers().forEach(l -> blobs.add(l.toDescriptor()));
            for (Descriptor blob : blobs) {
                if (written.add(blob.digest())) {
                    writeBlob(content, tar, "blobs/" + blob.digest().algorithm() + "/" + blob.digest().encoded(),
                            blob);
                }
            }
            ImageReference ref = ImageReference.parse(e.getKey());
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(ImageImporter.ANNOTATION_IMAGE_NAME, ref.toString());
            ref.tag().ifPresent(t -> annotations.put(ImageImporter.ANNOTATION_REF_NAME, t));
            Descriptor m = image.manifestDescriptor();
            entries.add(new OciDescriptor(m.mediaType(), m.digest().toString(), m.size(), annotations,
                    image.config().platform()));
        }
        Index index = new Index(2, MediaTypes.OCI_INDEX, entries, null);
        writeBytes(tar, ArchiveReader.INDEX, ContentBlobs.JSON.writeValueAsBytes(index));
    }

    private static void writeDocker(ContentStore content, Map<String, ResolvedImage> images, TarWriter tar)
            throws IOException {
        Map<Digest, List<String>> tagsByManifest = new LinkedHashMap<>();
        Map<Digest, ResolvedImage> byManifest = new LinkedHashMap<>();
        for (Map.Entry<String, ResolvedImage> e : images.entrySet()) {
            Digest d = e.getValue().manifestDescriptor().digest();
            byManifest.put(d, e.getValue());
            tagsByManifest.computeIfAbsent(d, k -> new ArrayList<>()).add(e.getKey());
        }
        Set<String> written = new HashSet<>();
        ArrayNode manifestJson = ContentBlobs.JSON.createArrayNode();
        ObjectNode repositories = ContentBlobs.JSON.createObjectNode();
        for (Map.Entry<Digest, ResolvedImage> e : byManifest.entrySet()) {
            ResolvedImage image = e.getValue();
            String configName = image.configDescriptor().digest().encoded() + ".json";
            if (written.add(configName)) {
                writeBlob(content, tar, configName, image.configDescriptor());
            }
            List<String> diffIds = image.config().diffIds();
            List<OciDescriptor> layers = image.manifest().layers();
            if (layers.size() != diffIds.size()) {
                throw BerthException.invalidArgument("export " + e.getKey() + ": " + layers.size()
                        + " layers but " + diffIds.size() + " diff_ids in the config");
            }
            ArrayNode layerNames = ContentBlobs.JSON.createArrayNode();
            for (int i = 0; i < layers.size(); i++) {
                String dir = Digest.parse(diffIds.get(i)).encoded();
                String name = dir + "/layer.tar";
                if (written.add(name)) {
                    tar.write(TarEntry.directory(dir + "/", 0755, MTIME), null);
                    writeLayer(content, tar, name, layers.get(i).toDescriptor(), diffIds.get(i));
                }
                layerNames.add(name);
            }
            ArrayNode repoTags = ContentBlobs.JSON.createArrayNode();
            for (String name : tagsByManifest.get(e.getKey())) {
                ImageReference ref = ImageReference.parse(name);
                if (ref.tag().isEmpty()) {
                    continue;
                }
                String repo = familiar(ref);
                repoTags.add(repo + ":" + ref.tag().get());
                if (!diffIds.isEmpty()) {
                    ObjectNode tags = repositories.has(repo) ? (ObjectNode) repositories.get(repo)
                            : repositories.putObject(repo);
                    tags.put(ref.tag().get(), Digest.parse(diffIds.getLast()).encoded());
                }
            }
            ObjectNode entry = manifestJson.addObject();
            entry.put("Config", configName);
            entry.set("RepoTags", repoTags);
            entry.set("Layers", layerNames);
        }
        writeBytes(tar, ArchiveReader.DOCKER_MANIFEST, ContentBlobs.JSON.writeValueAsBytes(manifestJson));
        writeBytes(tar, "repositories", ContentBlobs.JSON.writeValueAsBytes(repositories));
    }

    /** docker's short name: {@code busybox} for {@code docker.io/library/busybox}, {@code a/b} for docker.io/a/b. */
    static String familiar(ImageReference ref) {
        if (!ref.domain().equals(ImageReference.DOCKER_HUB)) {
            return ref.repository();
        }
        return ref.path().startsWith("library/") && ref.path().indexOf('/', "library/".length()) < 0
                ? ref.path().substring("library/".length()) : ref.path();
    }

    /**
     * Writes a layer uncompressed. A tar header needs the size first, so a compressed layer is read twice: once to
     * measure it (and check its diffID), once to write it.
     */
    private static void writeLayer(ContentStore content, TarWriter tar, String name, Descriptor layer, String diffId)
            throws IOException {
        Compression compression = Compression.ofMediaType(layer.mediaType());
        if (compression == Compression.NONE) {
            writeBlob(content, tar, name, layer);
            return;
        }
        long size;
        Digest actual;
        try (InputStream in = compression.decompress(Channels.newInputStream(content.read(layer.digest())))) {
            java.security.MessageDigest sha = newSha256();
            byte[] buf = new byte[1 << 16];
            long n = 0;
            int r;
            while ((r = in.read(buf)) > 0) {
                sha.update(buf, 0, r);
                n += r;
            }
            size = n;
            actual = Digest.sha256(sha.digest());
        }
        if (!actual.toString().equals(diffId)) {
            throw new BerthException(ErrorKind.FAILED_PRECONDITION, "export layer " + layer.digest()
                    + ": uncompressed it hashes to " + actual + ", the config says " + diffId);
        }
        try (InputStream in = compression.decompress(Channels.newInputStream(content.read(layer.digest())))) {
            tar.write(TarEntry.file(name, 0644, size, MTIME), in);
        }
    }

    private static java.security.MessageDigest newSha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void writeBlob(ContentStore content, TarWriter tar, String name, Descriptor blob)
            throws IOException {
        long size = content.info(blob.digest()).size();
        try (InputStream in = Channels.newInputStream(content.read(blob.digest()))) {
            tar.write(TarEntry.file(name, 0644, size, MTIME), in);
        }
    }

    private static void writeBytes(TarWriter tar, String name, byte[] data) throws IOException {
        tar.write(TarEntry.file(name, 0644, data.length, MTIME), new ByteArrayInputStream(data));
    }
}
