package dev.berth.manager.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.ContentBlobs;
import dev.berth.manager.image.ImageLabels;
import dev.berth.manager.image.ResolvedImage;
import dev.berth.manager.image.Unpacker;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.ImageStore;
import dev.berth.manager.metadata.MetadataContentStore;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.metadata.MetadataSnapshotter;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a step's image: its config (the parent's with the step's changes, one more history entry and, for a step
 * with a layer, one more diffID), its manifest (the parent's layers and the new one), unpacks the new layer onto
 * the parent's chain and records the image under {@code name}. Works in the build's content and snapshot views,
 * which carry the build's lease, made when first needed.
 */
final class ImageWriter {
    private final MetadataDb db;
    private final String namespace;
    private final String snapshotter;
    private final BuildLease lease;
    private final ImageStore images;
    private final Unpacker unpacker;

    ImageWriter(MetadataDb db, String namespace, String snapshotter, BuildLease lease, Unpacker unpacker) {
        this.db = db;
        this.namespace = namespace;
        this.snapshotter = snapshotter;
        this.lease = lease;
        this.images = db.images(namespace);
        this.unpacker = unpacker;
    }

    /** The content store under the build's lease (which the first call makes). */
    MetadataContentStore content() throws IOException {
        return db.contentStore(namespace, lease.ref());
    }

    /** The snapshotter under the build's lease (which the first call makes). */
    MetadataSnapshotter snapshots() throws IOException {
        return db.snapshotter(namespace, snapshotter, lease.ref());
    }

    /**
     * The image made of {@code parent} with {@code config} (the parent's config document as the step changed it)
     * and {@code layer} on top (empty for a metadata step, whose history entry is then {@code empty_layer}).
     */
    ImageState write(ImageState parent, ObjectNode config, Optional<Descriptor> layer, String createdBy,
                     Instant created, String name) throws IOException {
        ObjectNode json = config.deepCopy();
        json.put("created", created.toString());
        ArrayNode history = json.get("history") instanceof ArrayNode h ? h : json.putArray("history");
        ObjectNode entry = history.addObject();
        entry.put("created", created.toString());
        entry.put("created_by", createdBy);
        List<OciDescriptor> layers = new ArrayList<>(parent.layers());
        MetadataContentStore content = content();
        if (layer.isPresent()) {
            String diffId = content.info(layer.get().digest()).labels().get(ImageLabels.UNCOMPRESSED);
            ObjectNode rootfs = json.get("rootfs") instanceof ObjectNode r ? r : json.putObject("rootfs");
            rootfs.put("type", "layers");
            (rootfs.get("diff_ids") instanceof ArrayNode a ? a : rootfs.putArray("diff_ids")).add(diffId);
            layers.add(OciDescriptor.of(layer.get()));
        } else {
            entry.put("empty_layer", true);
        }
        Descriptor configDesc = ContentBlobs.write(content, parent.configMediaType(),
                ContentBlobs.JSON.writeValueAsBytes(json), Map.of());
        Manifest manifest = new Manifest(2, parent.manifestMediaType(), OciDescriptor.of(configDesc), layers, null);
        Descriptor manifestDesc = ContentBlobs.write(content, parent.manifestMediaType(),
                ContentBlobs.JSON.writeValueAsBytes(manifest), ImageLabels.ofManifest(manifest));
        unpacker.unpack(content, snapshots(), new ResolvedImage(manifestDesc, manifest, configDesc,
                new ImageConfig(json)), Unpacker.UNLIMITED);
        record(ImageRecord.of(name, manifestDesc, Map.of()));
        return new ImageState(name, configDesc.digest().toString(), json, layers, parent.docker());
    }

    /** Records {@code name} for {@code target} (a new record, or one pointed at the new target). */
    void tag(String name, ImageState image) throws IOException {
        record(ImageRecord.of(name, images.get(image.name()).target(), Map.of()));
    }

    /** Creates or updates the record; a concurrent build recording the same entry meanwhile is as good. */
    private void record(ImageRecord image) throws IOException {
        try {
            images.update(image, Set.of("target"));
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            try {
                images.create(image);
            } catch (BerthException raced) {
                if (raced.kind() != ErrorKind.ALREADY_EXISTS) {
                    throw raced;
                }
                images.update(image, Set.of("target"));
            }
        }
    }
}
