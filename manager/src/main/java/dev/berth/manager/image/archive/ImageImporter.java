package dev.berth.manager.image.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.ContentBlobs;
import dev.berth.manager.image.ImageLabels;
import dev.berth.manager.image.ManifestResolver;
import dev.berth.manager.image.ResolvedImage;
import dev.berth.manager.image.TemporaryLease;
import dev.berth.manager.image.Unpacker;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Index;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.ImageStore;
import dev.berth.manager.metadata.MetadataContentStore;
import dev.berth.manager.metadata.MetadataDb;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Imports an OCI image layout archive or a {@code docker save} archive (told apart by content: an
 * {@code oci-layout} file or a {@code manifest.json}), as containerd's {@code ctr images import}: the archive is
 * streamed once into the content store under a lease of its own; a docker archive gets a Docker schema 2 manifest
 * per image built for it (its uncompressed layers referenced as they are); then each image is resolved for the
 * platform, checked complete, labelled for garbage collection, unpacked, and only then recorded by name. The
 * lease is deleted at the end, so a failed import leaves nothing behind.
 */
public final class ImageImporter {

    /** The index annotation containerd names images by: the full, normalized name. */
    public static final String ANNOTATION_IMAGE_NAME = "io.containerd.image.name";
    /** The OCI index annotation naming a manifest: a tag, or (skopeo, buildkit) a whole reference. */
    public static final String ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    private static final String LAYOUT_VERSION = "1.0.0";

    private final MetadataDb db;
    private final Unpacker unpacker;
    private final Clock clock;

    public ImageImporter(MetadataDb db, Unpacker unpacker, Clock clock) {
        this.db = db;
        this.unpacker = unpacker;
        this.clock = clock;
    }

    /** An image to record: its normalized name and its target (a manifest or an index). */
    private record Named(String name, Descriptor target) {
    }

    /** One entry of a {@code docker save} archive's {@code manifest.json}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DockerEntry(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                       @JsonProperty("Layers") List<String> layers) {
    }

    /**
     * Imports the archive read from {@code archive} into {@code namespace}; answers the recorded images.
     * INVALID_ARGUMENT for an archive that is malformed, truncated, incomplete, names no image, or holds a blob
     * whose bytes do not match its digest; FAILED_PRECONDITION for a layer whose diffID is not its config's (as
     * every unpack); RESOURCE_EXHAUSTED past {@link ImportOptions#maxUnpackedBytes()}; nothing is recorded then.
     */
    public List<ImageRecord> importArchive(String namespace, InputStream archive, ImportOptions options)
            throws IOException {
        try (TemporaryLease lease = TemporaryLease.create(db.leases(namespace), "import", clock)) {
            MetadataContentStore content = db.contentStore(namespace, lease.ref());
            ArchiveReader.Contents contents = new ArchiveReader(content, lease.id()).read(archive);
            List<Named> named;
            if (contents.json().containsKey(ArchiveReader.OCI_LAYOUT)) {
                named = ociImages(contents, options);
            } else if (contents.json().containsKey(ArchiveReader.DOCKER_MANIFEST)) {
                named = dockerImages(content, contents, options);
            } else {
                throw BerthException.invalidArgument("import: unrecognized image format (no oci-layout or "
                        + "manifest.json)");
            }
            if (named.isEmpty()) {
                throw BerthException.invalidArgument("import: the archive names no image"
                        + (options.baseName().isEmpty() ? " (give a base name for images named by a tag only)" : ""));
            }
            Set<Digest> prepared = new HashSet<>();
            for (Named n : named) {
                if (prepared.add(n.target().digest())) {
                    prepare(content, namespace, lease.id(), n, options);
                }
            }
            return record(db.images(namespace), named);
        }
    }

    /** Checks that the image is complete for the platform, labels its blobs for GC, and unpacks it if asked. */
    private void prepare(MetadataContentStore content, String namespace, String lease, Named n,
                         ImportOptions options) throws IOException {
        ResolvedImage image;
        try {
            if (MediaTypes.isIndex(n.target().mediaType())) {
                Index index = ContentBlobs.readJson(content, n.target().digest(), Index.class);
                List<Descriptor> manifests = new ArrayList<>();
                for (OciDescriptor m : index.manifests() == null ? List.<OciDescriptor>of() : index.manifests()) {
                    manifests.add(m.toDescriptor());
                }
                ImageLabels.add(content, n.target().digest(), ImageLabels.ofIndex(manifests));
            }
            image = ManifestResolver.resolve(content, n.target(), options.platform());
            ImageLabels.add(content, image.manifestDescriptor().digest(), ImageLabels.ofManifest(image.manifest()));
            for (OciDescriptor layer : layers(image.manifest())) {
                content.info(Digest.parse(layer.digest()));
            }
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                throw BerthException.invalidArgument("import " + n.name() + ": " + e.getMessage()
                        + " (incomplete archive)");
            }
            throw e;
        }
        if (options.unpack()) {
            unpacker.unpack(content, db.snapshotter(namespace, options.snapshotter(), Optional.of(lease)), image,
                    options.maxUnpackedBytes());
        }
    }

    private static List<ImageRecord> record(ImageStore images, List<Named> named) throws IOException {
        Map<String, Descriptor> byName = new LinkedHashMap<>();
        named.forEach(n -> byName.put(n.name(), n.target()));
        List<ImageRecord> out = new ArrayList<>();
        for (Map.Entry<String, Descriptor> e : byName.entrySet()) {
            ImageRecord image = ImageRecord.of(e.getKey(), e.getValue(), Map.of());
            try {
                out.add(images.update(image, Set.of("target")));
            } catch (BerthException ex) {
                if (ex.kind() != ErrorKind.NOT_FOUND) {
                    throw ex;
                }
                out.add(images.create(image));
            }
        }
        return out;
    }

    private static List<Named> ociImages(ArchiveReader.Contents contents, ImportOptions options) {
        JsonNode layout = parse(contents.json().get(ArchiveReader.OCI_LAYOUT), ArchiveReader.OCI_LAYOUT,
                JsonNode.class);
        String version = layout.path("imageLayoutVersion").asText("");
        if (!version.equals(LAYOUT_VERSION)) {
            throw BerthException.invalidArgument("import: unsupported OCI layout version \"" + version + "\"");
        }
        byte[] indexJson = contents.json().get(ArchiveReader.INDEX);
        if (indexJson == null) {
            throw BerthException.invalidArgument("import: OCI layout without index.json");
        }
        Index index = parse(indexJson, ArchiveReader.INDEX, Index.class);
        List<Named> out = new ArrayList<>();
        for (OciDescriptor m : index.manifests() == null ? List.<OciDescriptor>of() : index.manifests()) {
            Map<String, String> annotations = m.annotations() == null ? Map.of() : m.annotations();
            Optional<String> name = imageName(annotations, options.baseName());
            if (name.isPresent()) {
                Descriptor d;
                try {
                    d = m.toDescriptor();
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw BerthException.invalidArgument("import: index.json: bad descriptor: " + e.getMessage());
                }
                out.add(new Named(name.get(), d));
            }
        }
        return out;
    }

    /** containerd's {@code imageName}: the full name annotation, else the ref name, a tag joined to the base name. */
    static Optional<String> imageName(Map<String, String> annotations, Optional<String> baseName) {
        String full = annotations.get(ANNOTATION_IMAGE_NAME);
        if (full != null && !full.isEmpty()) {
            return Optional.of(ImageReference.parse(full).toString());
        }
        String ref = annotations.get(ANNOTATION_REF_NAME);
        if (ref == null || ref.isEmpty()) {
            return Optional.empty();
        }
        if (ref.contains("/") || ref.contains(":") || ref.contains("@")) {
            return Optional.of(ImageReference.parse(ref).toString());
        }
        return baseName.map(base -> ImageReference.parse(base + ":" + ref).toString());
    }

    private List<Named> dockerImages(ContentStore content, ArchiveReader.Contents contents, ImportOptions options)
            throws IOException {
        List<DockerEntry> entries = parse(contents.json().get(ArchiveReader.DOCKER_MANIFEST),
                ArchiveReader.DOCKER_MANIFEST, new TypeReference<>() { });
        List<Named> out = new ArrayList<>();
        for (DockerEntry entry : entries) {
            if (entry.config() == null) {
                throw BerthException.invalidArgument("import: manifest.json: an entry has no Config");
            }
            Descriptor manifest = dockerManifest(content, contents, entry);
            for (String tag : entry.repoTags() == null ? List.<String>of() : entry.repoTags()) {
                out.add(new Named(ImageReference.parse(tag).toString(), manifest));
            }
            if ((entry.repoTags() == null || entry.repoTags().isEmpty()) && options.baseName().isPresent()) {
                out.add(new Named(ImageReference.parse(options.baseName().get()).toString(), manifest));
            }
        }
        return out;
    }

    /** Writes the Docker schema 2 manifest of one {@code docker save} image, as containerd's importer does. */
    private static Descriptor dockerManifest(ContentStore content, ArchiveReader.Contents contents, DockerEntry entry)
            throws IOException {
        Descriptor configFile = contents.file(entry.config());
        String base = ArchiveReader.clean(entry.config());
        base = base.substring(base.lastIndexOf('/') + 1);
        if (base.matches("[a-f0-9]{64}\\.json") && !base.startsWith(configFile.digest().encoded())) {
            throw BerthException.invalidArgument("import: " + entry.config() + ": content hashes to "
                    + configFile.digest());
        }
        ImageConfig config = new ImageConfig(ContentBlobs.readJson(content, configFile.digest(),
                com.fasterxml.jackson.databind.node.ObjectNode.class));
        List<String> diffIds = config.diffIds();
        List<String> layerFiles = entry.layers() == null ? List.of() : entry.layers();
        if (layerFiles.size() != diffIds.size()) {
            throw BerthException.invalidArgument("import: " + entry.config() + ": " + layerFiles.size()
                    + " layers but " + diffIds.size() + " diff_ids");
        }
        List<OciDescriptor> layers = new ArrayList<>();
        for (int i = 0; i < layerFiles.size(); i++) {
            Descriptor file = contents.file(layerFiles.get(i));
            String mediaType = layerMediaType(content, file.digest());
            if (mediaType.equals(DOCKER_LAYER) && !file.digest().toString().equals(diffIds.get(i))) {
                throw BerthException.invalidArgument("import: layer " + layerFiles.get(i) + ": content hashes to "
                        + file.digest() + ", the config says " + diffIds.get(i));
            }
            layers.add(OciDescriptor.of(new Descriptor(mediaType, file.digest(), file.size())));
        }
        OciDescriptor configDesc = OciDescriptor.of(new Descriptor(MediaTypes.DOCKER_CONFIG, configFile.digest(),
                configFile.size()));
        Manifest manifest = new Manifest(2, MediaTypes.DOCKER_MANIFEST, configDesc, layers, null);
        byte[] json = ContentBlobs.JSON.writeValueAsBytes(manifest);
        return ContentBlobs.write(content, MediaTypes.DOCKER_MANIFEST, json, ImageLabels.ofManifest(manifest));
    }

    /** A layer file's media type by its first bytes: gzip, zstd, or a plain tar. */
    private static String layerMediaType(ContentStore content, Digest digest) throws IOException {
        byte[] magic;
        try (InputStream in = Channels.newInputStream(content.read(digest))) {
            magic = in.readNBytes(4);
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return MediaTypes.DOCKER_LAYER_GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return MediaTypes.OCI_LAYER_ZSTD;
        }
        return DOCKER_LAYER;
    }

    private static <T> T parse(byte[] json, String what, Class<T> type) {
        return parse(json, what, ContentBlobs.JSON.getTypeFactory().constructType(type));
    }

    private static <T> T parse(byte[] json, String what, TypeReference<T> type) {
        return parse(json, what, ContentBlobs.JSON.getTypeFactory().constructType(type));
    }

    private static <T> T parse(byte[] json, String what, JavaType type) {
        try {
            return ContentBlobs.JSON.readValue(json, type);
        } catch (JacksonException e) {
            throw BerthException.invalidArgument("import: parse " + what + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw BerthException.invalidArgument("import: parse " + what + ": " + e.getMessage());
        }
    }

    private static List<OciDescriptor> layers(Manifest manifest) {
        return manifest.layers() == null ? List.of() : manifest.layers();
    }
}
