package dev.berth.manager.image.pull;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.ContentBlobs;
import dev.berth.manager.image.ImageLabels;
import dev.berth.manager.image.ResolvedImage;
import dev.berth.manager.image.TemporaryLease;
import dev.berth.manager.image.Unpacker;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Index;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.image.registry.Registries;
import dev.berth.manager.image.registry.Registry;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.ImageStore;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.metadata.MetadataSnapshotter;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pulls an image from its registry into a namespace (containerd's client {@code Pull} with unpack): resolve the
 * reference; fetch the index, pick the platform's manifest, fetch it and its config; download the layers in
 * parallel while unpacking them into snapshots (several at once where the snapshotter allows); label everything
 * as containerd does so that garbage collection keeps what the image needs; then create or update the image
 * record.
 *
 * <p>Everything is written under a temporary lease, deleted at the end: on success the image record holds the
 * content and snapshots; on failure no record is written and the collection that the lease's deletion triggers
 * removes what the pull had committed. Unfinished ingests stay (they are not leased) so that the next pull of the
 * same blobs resumes them.
 */
public final class ImagePuller {

    private static final Log LOG = Log.of(ImagePuller.class);
    private static final int MAX_INDEX_DEPTH = 4;

    private final Registries registries;
    private final MetadataDb metadata;
    private final Unpacker unpacker;
    private final Executor downloads;
    private final Clock clock;

    /**
     * @param registries the registry client per host
     * @param metadata   the namespaced images, leases, content and snapshotters
     * @param unpacker   unpacks the layers as they download
     * @param downloads  runs the blob downloads (each pull bounds its own concurrency by
     *                   {@link PullOptions#maxConcurrentDownloads()}); the unpacker runs the applies, and the
     *                   commits on the calling thread
     */
    public ImagePuller(Registries registries, MetadataDb metadata, Unpacker unpacker, Executor downloads) {
        this(registries, metadata, unpacker, downloads, Clock.systemUTC());
    }

    ImagePuller(Registries registries, MetadataDb metadata, Unpacker unpacker, Executor downloads, Clock clock) {
        this.registries = registries;
        this.metadata = metadata;
        this.unpacker = unpacker;
        this.downloads = downloads;
        this.clock = clock;
    }

    /**
     * Pulls {@code reference} (docker-style, normalized: {@code busybox} is {@code docker.io/library/busybox:latest})
     * into {@code namespace} and returns the image record, named by the normalized reference, whose target is the
     * index or manifest the reference resolved to. Errors name the reference or the blob: NOT_FOUND when it or the
     * platform's manifest does not exist, FAILED_PRECONDITION on a digest, size or diffID mismatch,
     * INVALID_ARGUMENT for a malformed reference or document, RESOURCE_EXHAUSTED when the layers unpack to more
     * than {@link PullOptions#maxUnpackedBytes()}. The error is the pull's first failure, never one it caused by
     * cancelling the other downloads.
     */
    public ImageRecord pull(String namespace, String reference, PullOptions options, PullProgress progress)
            throws IOException {
        ImageReference ref = ImageReference.parse(reference);
        if (options.unpack()) {
            metadata.snapshotter(namespace, options.snapshotter(), Optional.empty()); // fails now if not loaded
        }
        Registry registry = registries.forHost(ref, options.credentials());
        progress.resolving(ref);
        Descriptor target = registry.resolve(ref);
        if (ref.digest().isPresent() && !ref.digest().get().equals(target.digest())) {
            throw BerthException.failedPrecondition("pull " + ref + ": registry resolved it to " + target.digest());
        }
        progress.resolved(ref, target);
        ImageRecord image;
        long start = System.nanoTime();
        try (TemporaryLease lease = TemporaryLease.create(metadata.leases(namespace), "pull", clock)) {
            image = pullLeased(namespace, ref, target, registry, lease.id(), options, progress);
        }
        LOG.info("image pulled", "namespace", namespace, "image", image.name(), "target", target.digest(),
                "elapsed_ms", (System.nanoTime() - start) / 1_000_000);
        return image;
    }

    private ImageRecord pullLeased(String namespace, ImageReference ref, Descriptor target, Registry registry,
                                   String lease, PullOptions options, PullProgress progress) throws IOException {
        ContentStore content = metadata.contentStore(namespace, Optional.of(lease));
        AtomicBoolean cancelled = new AtomicBoolean();
        BlobDownloader fetcher = new BlobDownloader(registry, ref, content, progress, cancelled::get);

        Descriptor manifestDesc = target;
        for (int depth = 0; MediaTypes.isIndex(manifestDesc.mediaType()); depth++) {
            if (depth == MAX_INDEX_DEPTH) {
                throw BerthException.invalidArgument("pull " + ref + ": indexes nested too deep");
            }
            Descriptor indexDesc = manifestDesc;
            Index index = ContentBlobs.parse(indexDesc, Index.class, fetcher.fetchMetadata(indexDesc, Map.of()));
            manifestDesc = select(ref, index, options.platform());
            ImageLabels.add(content, indexDesc.digest(), ImageLabels.ofIndex(List.of(manifestDesc)));
        }
        if (!MediaTypes.isManifest(manifestDesc.mediaType())) {
            throw BerthException.invalidArgument("pull " + ref + ": unsupported media type "
                    + manifestDesc.mediaType());
        }
        Descriptor md = manifestDesc;
        Manifest manifest = ContentBlobs.parse(md, Manifest.class, fetcher.fetchMetadata(md, Map.of()));
        if (manifest.config() == null) {
            throw BerthException.invalidArgument("pull " + ref + ": manifest " + md.digest() + " has no config");
        }
        Descriptor configDesc = manifest.config().toDescriptor();
        List<Descriptor> layers = new ArrayList<>();
        if (manifest.layers() != null) {
            manifest.layers().forEach(l -> layers.add(l.toDescriptor()));
        }
        ImageLabels.add(content, md.digest(), ImageLabels.ofManifest(manifest));

        ImageConfig config = ContentBlobs.parseConfig(configDesc, fetcher.fetchMetadata(configDesc, Map.of()));
        List<String> diffIds = config.diffIds();
        if (diffIds.size() != layers.size()) {
            throw BerthException.invalidArgument("pull " + ref + ": config " + configDesc.digest() + " has "
                    + diffIds.size() + " diff_ids for " + layers.size() + " layers");
        }
        ResolvedImage image = new ResolvedImage(md, manifest, configDesc, config);

        Optional<MetadataSnapshotter> snapshots = Optional.empty();
        int firstToApply = -1;
        if (options.unpack()) {
            snapshots = Optional.of(metadata.snapshotter(namespace, options.snapshotter(), Optional.of(lease)));
            firstToApply = unpacker.firstMissing(snapshots.get(), diffIds);
        }
        LayerDownloads layerDownloads = new LayerDownloads(layers, fetcher, content, downloads,
                options.maxConcurrentDownloads(), cancelled, progress, firstToApply);
        try {
            if (snapshots.isPresent()) {
                unpacker.unpack(content, snapshots.get(), image, layerDownloads, options.maxUnpackedBytes());
            }
            layerDownloads.awaitAll();
        } catch (IOException | RuntimeException e) {
            layerDownloads.stop(e);
            throw e;
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
}
