package dev.berth.manager.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.ManifestResolver;
import dev.berth.manager.image.ResolvedImage;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.metadata.GcLabels;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The build cache: every step's image is an image record named {@code berth.build/cache:<key>}, where the key is
 * the sha256 of the parent image's id and the step's resolved instruction (its {@code created_by}, which holds the
 * build args a RUN sees and a COPY's content hash) with whatever else decides the step's result (COPY's owner and
 * mode). A step hits when the record of its key exists: a child of the same parent made by the same instruction.
 * As image records, the entries keep their content and snapshots from garbage collection (intermediate images
 * stay as long as the cache names them, which docker's do too); {@link #prune} drops them all, and the next
 * collection frees what no other image uses. The engine does not list them among images.
 */
public final class BuildCache {
    /** The name prefix of the cache's image records. */
    public static final String PREFIX = "berth.build/cache:";

    /** How many resolved manifests {@link #find} keeps: a few builds' worth of steps. */
    private static final int RESOLVED = 512;

    private final MetadataDb db;
    private final String snapshotter;
    /**
     * Manifests resolved by earlier lookups (config parsed), by namespace and digest, least recently used first:
     * a digest's content never changes, so a cached step costs two record reads and no blob read or JSON parse.
     */
    private final Map<String, ResolvedImage> resolved = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ResolvedImage> eldest) {
            return size() > RESOLVED;
        }
    };

    public BuildCache(MetadataDb db, String snapshotter) {
        this.db = db;
        this.snapshotter = snapshotter;
    }

    /** Whether image record {@code name} is a cache entry. */
    public static boolean isEntry(String name) {
        return name.startsWith(PREFIX);
    }

    static String name(String parentId, String step) {
        MessageDigest sha = CopyPlan.sha256();
        sha.update((parentId + "\n" + step).getBytes(StandardCharsets.UTF_8));
        return PREFIX + HexFormat.of().formatHex(sha.digest());
    }

    /** The entry {@code name}, if it exists, is complete and unpacked in the build's snapshotter. */
    Optional<ImageState> find(String namespace, String name) throws IOException {
        ImageRecord record;
        try {
            record = db.images(namespace).get(name);
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        try {
            var content = db.contentStore(namespace, Optional.empty());
            var image = resolve(namespace, content, record.target());
            if (!image.config().diffIds().isEmpty() && !content.info(image.configDescriptor().digest()).labels()
                    .containsKey(GcLabels.REF_SNAPSHOT_PREFIX + snapshotter)) {
                return Optional.empty();
            }
            return Optional.of(ImageState.of(name, image));
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty(); // content gone: not a usable entry
            }
            throw e;
        }
    }

    private ResolvedImage resolve(String namespace, ContentStore content, Descriptor target) throws IOException {
        String key = namespace + "/" + target.digest();
        synchronized (resolved) {
            ResolvedImage known = resolved.get(key);
            if (known != null) {
                return known;
            }
        }
        ResolvedImage image = ManifestResolver.resolve(content, target, Platform.LINUX_AMD64);
        synchronized (resolved) {
            resolved.put(key, image);
        }
        return image;
    }

    /** Removes every cache entry of {@code namespace}; answers their names. */
    public List<String> prune(String namespace) throws IOException {
        List<String> removed = new ArrayList<>();
        for (ImageRecord r : db.images(namespace).list()) {
            if (isEntry(r.name())) {
                db.images(namespace).delete(r.name());
                removed.add(r.name());
            }
        }
        if (!removed.isEmpty()) {
            db.garbageCollect(); // a prune frees the space before it answers (deletes collect in the background)
        }
        return removed;
    }
}
