package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.diff.LayerApplier;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Index;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.registry.Registries;
import dev.berth.manager.image.registry.Registry;
import dev.berth.manager.metadata.GcLabels;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.ImageStore;
import dev.berth.manager.metadata.LeaseStore;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.metadata.MetadataSnapshotter;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pulls an image from its registry into a namespace (containerd's client {@code Pull} with unpack): resolve the
 * reference; fetch the index, pick the platform's manifest, fetch it and its config; download the layers in
 * parallel while unpacking them in order into snapshots; label everything as containerd does so that garbage
 * collection keeps what the image needs; then create or update the image record.
 *
 * <p>Everything is written under a temporary lease, deleted at the end: on success the image record holds the
 * content and snapshots; on failure no record is written and the collection that the lease's deletion triggers
 * removes what the pull had committed. Unfinished ingests stay (they are not leased) so that the next pull of the
 * same blobs resumes them.
 */
public final class ImagePuller {

    private static final Log LOG = Log.of(ImagePuller.class);
    /** A pull's lease expires by itself if berthd dies mid-pull (containerd's client uses 24 hours too). */
    private static final Duration LEASE_EXPIRY = Duration.ofHours(24);
    private static final int MAX_INDEX_DEPTH = 4;

    private final Registries registries;
    private final MetadataDb metadata;
    private final LayerApplier applier;
    private final Executor downloads;
    private final Clock clock;
    private final OciJson json = new OciJson();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param registries the registry client per host
     * @param metadata   the namespaced images, leases, content and snapshotters
     * @param applier    applies layer streams onto snapshots
     * @param downloads  runs the blob downloads (each pull bounds its own concurrency by
     *                   {@link PullOptions#maxConcurrentDownloads()}); the unpacking runs on the calling thread
     */
    public ImagePuller(Registries registries, MetadataDb metadata, LayerApplier applier, Executor downloads) {
        this(registries, metadata, applier, downloads, Clock.systemUTC());
    }

    ImagePuller(Registries registries, MetadataDb metadata, LayerApplier applier, Executor downloads, Clock clock) {
        this.registries = registries;
        this.metadata = metadata;
        this.applier = applier;
        this.downloads = downloads;
        this.clock = clock;
    }

    /**
     * Pulls {@code reference} (docker-style, normalized: {@code busybox} is {@code docker.io/library/busybox:latest})
     * into {@code namespace} and returns the image record, named by the normalized reference, whose target is the
     * index or manifest the reference resolved to. Errors name the reference: NOT_FOUND when it or the platform's
     * manifest does not exist, FAILED_PRECONDITION on a digest or size mismatch, INVALID_ARGUMENT for a malformed
     * reference or document.
     */
    public ImageRecord pull(String namespace, String reference, PullOptions options, PullProgress progress)
            throws IOException {
        ImageReference ref = ImageReference.parse(reference);
        if (options.unpack()) {
            metadata.snapshotter(namespace, options.snapshotter(), Optional.empty()); // fails now if not loaded
        }
        Registry registry = registries.forHost(ref);
        progress.resolving(ref);
        Descriptor target = registry.resolve(ref);
        if (ref.digest().isPresent() && !ref.digest().get().equals(target.digest())) {
            throw BerthException.failedPrecondition("pull " + ref + ": registry resolved it to " + target.digest());
        }
        progress.resolved(ref, target);
        LeaseStore leases = metadata.leases(namespace);
        String lease = "pull-" + clock.millis() + "-" + HexFormat.of().formatHex(nonce());
        leases.create(lease, Map.of(GcLabels.EXPIRE, clock.instant().plus(LEASE_EXPIRY).toString()));
        ImageRecord image;
        long start = System.nanoTime();
        try {
            image = pullLeased(namespace, ref, target, registry, lease, options, progress);
        } catch (IOException | RuntimeException e) {
            try {
                leases.delete(lease);
            } catch (IOException | RuntimeException deleteFailure) {
                e.addSuppressed(deleteFailure); // the lease expires by itself; the pull's failure is the news
            }
            throw e;
        }
        leases.delete(lease);
        LOG.info("image pulled", "namespace", namespace, "image", image.name(), "target", target.digest(),
                "elapsed_ms", (System.nanoTime() - start) / 1_000_000);
        return image;
    }

    private ImageRecord pullLeased(String namespace, ImageReference ref, Descriptor target, Registry registry,
                                   String lease, PullOptions options, PullProgress progress) throws IOException {
        ContentStore content = metadata.contentStore(namespace, Optional.of(lease));
        AtomicBoolean cancelled = new AtomicBoolean();
        BlobFetcher fetcher = new BlobFetcher(registry, ref, content, progress, cancelled::get);

        Descriptor manifestDesc = target;
        for (int depth = 0; MediaTypes.isIndex(manifestDesc.mediaType()); depth++) {
            if (depth == MAX_INDEX_DEPTH) {
                throw BerthException.invalidArgument("pull " + ref + ": indexes nested too deep");
            }
            Descriptor indexDesc = manifestDesc;
            Index index = json.index(indexDesc, fetcher.fetchMetadata(indexDesc, Map.of()));
            manifestDesc = select(ref, index, options.platform());
            ImageLabels.add(content, indexDesc.digest(),
                    Map.of(ImageLabels.childKey(indexDesc.mediaType(), manifestDesc.mediaType(), 0),
                            manifestDesc.digest().toString()));
        }
        if (!MediaTypes.isManifest(manifestDesc.mediaType())) {
            throw BerthException.invalidArgument("pull " + ref + ": unsupported media type "
                    + manifestDesc.mediaType());
        }
        Descriptor md = manifestDesc;
        Manifest manifest = json.manifest(md, fetcher.fetchMetadata(md, Map.of()));
        if (manifest.config() == null) {
            throw BerthException.invalidArgument("pull " + ref + ": manifest " + md.digest() + " has no config");
        }
        Descriptor configDesc = manifest.config().toDescriptor();
        List<Descriptor> layers = new ArrayList<>();
        if (manifest.layers() != null) {
            manifest.layers().forEach(l -> layers.add(l.toDescriptor()));
        }
        Map<String, String> children = new HashMap<>();
        children.put(ImageLabels.childKey(md.mediaType(), configDesc.mediaType(), 0), configDesc.digest().toString());
        for (int i = 0; i < layers.size(); i++) {
            children.put(ImageLabels.childKey(md.mediaType(), layers.get(i).mediaType(), i),
                    layers.get(i).digest().toString());
        }
        ImageLabels.add(content, md.digest(), children);

        ImageConfig config = json.config(configDesc, fetcher.fetchMetadata(configDesc, Map.of()));
        List<String> diffIds = config.diffIds();
        if (diffIds.size() != layers.size()) {
            throw BerthException.invalidArgument("pull " + ref + ": config " + configDesc.digest() + " has "
                    + diffIds.size() + " diff_ids for " + layers.size() + " layers");
        }

        Optional<SnapshotUnpacker> unpacker = Optional.empty();
        int firstToApply = -1;
        if (options.unpack()) {
            MetadataSnapshotter snapshots = metadata.snapshotter(namespace, options.snapshotter(), Optional.of(lease));
            unpacker = Optional.of(new SnapshotUnpacker(snapshots, applier, content, progress));
            firstToApply = unpacker.get().firstMissing(diffIds);
        }
        LayerDownloads layerDownloads = new LayerDownloads(layers, fetcher, downloads,
                options.maxConcurrentDownloads(), cancelled, progress, firstToApply);
        try {
            if (unpacker.isPresent()) {
                unpacker.get().unpack(layers, diffIds, firstToApply, layerDownloads);
            }
            layerDownloads.awaitAll();
        } catch (IOException | RuntimeException e) {
            layerDownloads.cancelAndWait();
            throw e;
        }
        if (options.unpack() && !layers.isEmpty()) {
            List<String> chain = ChainIds.of(diffIds);
            ImageLabels.add(content, configDesc.digest(),
                    Map.of(GcLabels.REF_SNAPSHOT_PREFIX + options.snapshotter(), chain.getLast()));
        }
        return record(metadata.images(namespace), ImageRecord.of(ref.toString(), target, Map.of()));
    }

    /** Creates the record, or points the existing one at the new target (containerd's client does the same). */
    private static ImageRecord record(ImageStore images, ImageRecord image) throws IOException {
        try {
            return images.create(image);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                throw e;
            }
            return images.update(image, Set.of("target"));
        }
    }

    /**
     * The index entry for {@code platform}: the first whose platform matches, else the first that names no
     * platform (containerd counts those as matching); NOT_FOUND listing the platforms present otherwise.
     */
    private static Descriptor select(ImageReference ref, Index index, Platform platform) {
        List<OciDescriptor> entries = index.manifests() == null ? List.of() : index.manifests();
        Optional<OciDescriptor> chosen = entries.stream().filter(d -> platform.matches(d.platform())).findFirst()
                .or(() -> entries.stream().filter(d -> d.platform() == null).findFirst());
        if (chosen.isEmpty()) {
            List<String> present = entries.stream().map(d -> String.valueOf(d.platform())).distinct().toList();
            throw BerthException.notFound("pull " + ref + ": no manifest for platform " + platform
                    + " (the index has " + (present.isEmpty() ? "none" : String.join(", ", present)) + ")");
        }
        return chosen.get().toDescriptor();
    }

    private byte[] nonce() {
        byte[] b = new byte[4];
        random.nextBytes(b);
        return b;
    }
}
