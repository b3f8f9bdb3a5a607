package dev.berth.manager.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.image.ManifestResolver;
import dev.berth.manager.image.ResolvedImage;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.metadata.GcLabels;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DockerJson;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Finds images as docker names them (a reference as typed or normalized, {@code sha256:<id>} or an id prefix) and
 * reads what a container needs of them: the config's process settings and the committed snapshot of its layers.
 */
final class ImageResolver {

    /**
     * An image as a container uses it.
     *
     * @param id docker's image id, {@code sha256:} of the config
     * @param config the image config's {@code config} (Cmd, Entrypoint, Env, …) in docker's shape
     */
    record EngineImage(ImageRecord record, ResolvedImage resolved, String id, ContainerConfig config) {
    }

    /** The name prefix of the build cache's image records (manager.build.BuildCache.PREFIX, which uses the engine). */
    static final String BUILD_CACHE_PREFIX = "berth.build/cache:";

    private final MetadataDb db;

    ImageResolver(MetadataDb db) {
        this.db = db;
    }

    /** The image {@code ref} names; NOT_FOUND in docker's words ({@code No such image: x}). */
    EngineImage find(String namespace, String ref) throws IOException {
        Optional<ImageRecord> record = byName(namespace, ref);
        if (record.isEmpty()) {
            record = byId(namespace, ref);
        }
        if (record.isEmpty()) {
            throw BerthException.notFound("No such image: " + ref);
        }
        return resolve(namespace, record.get());
    }

    EngineImage resolve(String namespace, ImageRecord record) throws IOException {
        ResolvedImage resolved = ManifestResolver.resolve(db.contentStore(namespace, Optional.empty()),
                record.target(), Platform.LINUX_AMD64);
        ContainerConfig config;
        try {
            config = DockerJson.mapper().treeToValue(resolved.config().process(), ContainerConfig.class);
        } catch (JsonProcessingException e) {
            throw BerthException.invalidArgument("image " + record.name() + ": config: " + e.getOriginalMessage());
        }
        return new EngineImage(record, resolved, resolved.configDescriptor().digest().toString(),
                config == null ? ContainerConfig.EMPTY : config);
    }

    /**
     * The chain id of the image's top layer in {@code snapshotter}: the label
     * {@code containerd.io/gc.ref.snapshot.<snapshotter>} the unpacker put on the config blob.
     */
    String topSnapshot(String namespace, EngineImage image, String snapshotter) throws IOException {
        String label = GcLabels.REF_SNAPSHOT_PREFIX + snapshotter;
        String chainId = db.contentStore(namespace, Optional.empty()).info(image.resolved().configDescriptor()
                .digest()).labels().get(label);
        if (chainId == null || chainId.isEmpty()) {
            throw BerthException.failedPrecondition("image " + image.record().name() + ": not unpacked in snapshotter "
                    + snapshotter + " (its config has no " + label + " label): pull or load it again");
        }
        return chainId;
    }

    private Optional<ImageRecord> byName(String namespace, String ref) throws IOException {
        Optional<ImageRecord> exact = get(namespace, ref);
        if (exact.isPresent()) {
            return exact;
        }
        String normalized;
        try {
            normalized = ImageReference.parse(ref).toString();
        } catch (IllegalArgumentException | BerthException e) {
            return Optional.empty();
        }
        return normalized.equals(ref) ? Optional.empty() : get(namespace, normalized);
    }

    private Optional<ImageRecord> get(String namespace, String name) throws IOException {
        try {
            return Optional.of(db.images(namespace).get(name));
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** docker's ids: {@code sha256:<hex>} or a prefix of the hex (at least one digit); ambiguous ones refused. */
    private Optional<ImageRecord> byId(String namespace, String ref) throws IOException {
        String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
        if (hex.isEmpty() || !hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            return Optional.empty();
        }
        Optional<ImageRecord> found = Optional.empty();
        for (ImageRecord r : db.images(namespace).list()) {
            String id;
            try {
                id = resolve(namespace, r).id();
            } catch (BerthException e) {
                continue; // an image whose content is incomplete: not a candidate
            }
            if (id.substring(7).startsWith(hex)) {
                if (found.isPresent() && !sameId(namespace, found.get(), id)) {
                    throw BerthException.invalidArgument("multiple images found with provided prefix: " + ref);
                }
                found = found.isPresent() ? found : Optional.of(r);
            }
        }
        return found;
    }

    private boolean sameId(String namespace, ImageRecord r, String id) throws IOException {
        return resolve(namespace, r).id().equals(id);
    }

    /**
     * Every image record of the namespace but the build cache's entries ({@code manager.build.BuildCache}'s
     * records; docker lists no intermediate image either). An entry is still found by its image id.
     */
    List<ImageRecord> list(String namespace) throws IOException {
        return db.images(namespace).list().stream().filter(r -> !r.name().startsWith(BUILD_CACHE_PREFIX)).toList();
    }
}
