package dev.berth.manager.image.commit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.diff.ContentDiffer;
import dev.berth.manager.image.ChainIds;
import dev.berth.manager.image.ContentBlobs;
import dev.berth.manager.image.ImageLabels;
import dev.berth.manager.image.ManifestResolver;
import dev.berth.manager.image.ResolvedImage;
import dev.berth.manager.image.TemporaryLease;
import dev.berth.manager.image.Unpacker;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.ImageStore;
import dev.berth.manager.metadata.MetadataContentStore;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.metadata.MetadataSnapshotter;
import dev.berth.manager.snapshot.Mount;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a container's changes into a new image, as {@code docker commit}: the diff of the container's active
 * snapshot against its parent becomes a gzip layer; the image's config gets that layer's diffID, a history entry,
 * a creation time, an author and the requested changes; a manifest of the same family (OCI or Docker) as the
 * image's is written; the new layer is unpacked onto its chain snapshot; and the image is recorded under the
 * requested name. Pausing the container meanwhile is the caller's business. Works under a lease of its own,
 * deleted at the end.
 */
public final class ImageCommitter {

    private final MetadataDb db;
    private final ContentDiffer differ;
    private final Unpacker unpacker;
    private final Clock clock;

    public ImageCommitter(MetadataDb db, ContentDiffer differ, Unpacker unpacker, Clock clock) {
        this.db = db;
        this.differ = differ;
        this.unpacker = unpacker;
        this.clock = clock;
    }

    /**
     * Commits {@code container} of {@code namespace}; answers the new image. FAILED_PRECONDITION if the container
     * has no image or snapshot, or its snapshot is not on top of its image's layers.
     */
    public ImageRecord commit(String namespace, ContainerRecord container, CommitOptions options)
            throws IOException {
        String op = "commit container " + container.id();
        if (container.image().isEmpty() || container.snapshotKey().isEmpty() || container.snapshotter().isEmpty()) {
            throw new BerthException(ErrorKind.FAILED_PRECONDITION, op + ": it has no image or no snapshot");
        }
        String name = ImageReference.parse(options.reference()).toString();
        try (TemporaryLease lease = TemporaryLease.create(db.leases(namespace), "commit", clock)) {
            MetadataContentStore content = db.contentStore(namespace, lease.ref());
            MetadataSnapshotter snapshots = db.snapshotter(namespace, container.snapshotter(), lease.ref());
            ImageRecord base = db.images(namespace).get(container.image());
            ResolvedImage image = ManifestResolver.resolve(content, base.target(), options.platform());
            List<String> chains = ChainIds.of(image.config().diffIds());
            String parent = snapshots.stat(container.snapshotKey()).parent();
            String top = chains.isEmpty() ? "" : chains.getLast();
            if (!parent.equals(top)) {
                throw new BerthException(ErrorKind.FAILED_PRECONDITION, op + ": its snapshot's parent \"" + parent
                        + "\" is not the top of image " + container.image() + " (\"" + top + "\")");
            }
            Descriptor layer = diff(content, snapshots, container.snapshotKey(), parent,
                    image.isDocker() ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP);
            String diffId = content.info(layer.digest()).labels().get(ImageLabels.UNCOMPRESSED);
            ImageConfig config = newConfig(image.config(), diffId, options);
            byte[] configJson = ContentBlobs.JSON.writeValueAsBytes(config.json());
            Descriptor configDesc = ContentBlobs.write(content,
                    image.isDocker() ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG, configJson, Map.of());
            List<OciDescriptor> layers = new ArrayList<>(image.manifest().layers() == null ? List.of()
                    : image.manifest().layers());
            layers.add(OciDescriptor.of(layer));
            Manifest manifest = new Manifest(2, image.manifestDescriptor().mediaType(), OciDescriptor.of(configDesc),
                    layers, null);
            Descriptor manifestDesc = ContentBlobs.write(content, image.manifestDescriptor().mediaType(),
                    ContentBlobs.JSON.writeValueAsBytes(manifest), ImageLabels.ofManifest(manifest));
            unpacker.unpack(content, snapshots, new ResolvedImage(manifestDesc, manifest, configDesc, config),
                    Unpacker.UNLIMITED);
            return record(db.images(namespace), ImageRecord.of(name, manifestDesc, Map.of()));
        }
    }

    /** The layer between the parent (seen through a temporary view) and the active snapshot. */
    private Descriptor diff(MetadataContentStore content, MetadataSnapshotter snapshots, String key, String parent,
                            String mediaType) throws IOException {
        if (parent.isEmpty()) {
            return differ.compare(content, List.of(), snapshots.mounts(key), mediaType, "", Map.of());
        }
        String view = "commit-view-" + random();
        List<Mount> lower = snapshots.view(view, parent, Map.of());
        try {
            return differ.compare(content, lower, snapshots.mounts(key), mediaType, "", Map.of());
        } finally {
            snapshots.remove(view);
        }
    }

    private ImageConfig newConfig(ImageConfig base, String diffId, CommitOptions options) {
        ObjectNode json = base.json().deepCopy();
        String created = clock.instant().toString();
        ObjectNode rootfs = json.get("rootfs") instanceof ObjectNode r ? r : json.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.get("diff_ids") instanceof ArrayNode a ? a : rootfs.putArray("diff_ids");
        diffIds.add(diffId);
        ArrayNode history = json.get("history") instanceof ArrayNode h ? h : json.putArray("history");
        ObjectNode entry = history.addObject();
        entry.put("created", created);
        if (!options.author().isEmpty()) {
            entry.put("author", options.author());
            json.put("author", options.author());
        }
        if (!options.comment().isEmpty()) {
            entry.put("comment", options.comment());
        }
        json.put("created", created);
        ObjectNode process = json.get("config") instanceof ObjectNode c ? c : json.putObject("config");
        ConfigChanges.apply(process, options.changes());
        return new ImageConfig(json);
    }

    private static ImageRecord record(ImageStore images, ImageRecord image) throws IOException {
        try {
            return images.update(image, Set.of("target"));
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            return images.create(image);
        }
    }

    private static String random() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
