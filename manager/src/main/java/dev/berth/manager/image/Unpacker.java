package dev.berth.manager.image;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.AppliedLayer;
import dev.berth.manager.diff.Compression;
import dev.berth.manager.diff.DetachedLayer;
import dev.berth.manager.diff.LayerApplier;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.metadata.MetadataSnapshotter;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.diff.LowerLayersNeeded;
import dev.berth.manager.snapshot.Snapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The one unpacker of image layers into snapshots, used by pull, import and commit (containerd's
 * {@code rootfs.ApplyLayers} as its client's unpacker drives it). For each layer, base first, with chain ID
 * {@code c} (see {@link ChainIds}) and parent chain {@code p}:
 * <pre>
 * stat c                 exists: skip (images sharing a base share its snapshots)
 * prepare extract-&lt;random&gt;-&lt;hex of c&gt; on p, label containerd.io/snapshot.ref = c
 * apply the layer        bytes from a {@link LayerSource}, decompressed here, counted against the limit
 * source.verify          a pull's blob is verified and committed before its snapshot may become a chain
 * check the diffID       against the config's rootfs.diff_ids[i]
 * commit c               label containerd.io/snapshot.ref = c; already committed meanwhile is as good
 * label the layer blob   containerd.io/uncompressed = diffID
 * </pre>
 * and finally the config blob is labelled {@code containerd.io/gc.ref.snapshot.<snapshotter> = top chain ID}, which
 * keeps the snapshots from garbage collection and tells clients the snapshot to prepare a container on. The
 * caller's lease holds everything until then. Whatever fails, no extraction snapshot stays; the chains committed
 * before the failure stay under the caller's lease.
 *
 * <p>In parallel, as containerd's unpacker does with a snapshotter that can rebase (overlay,
 * {@link Snapshotter#canRebase()}): the first missing layer is prepared on its parent chain as above, every later
 * one without a parent, and up to {@code parallelism} layers are applied at once (each while it downloads, for a
 * pull), each into its own directory as an overlay layer; then, in order on the calling thread, each is committed
 * onto the chain below it ({@code commit c onto p}). A directory a layer uses without listing it takes the metadata
 * of the same directory below at that commit; a layer that cannot be applied without the layers below it (a hard
 * link to a file below: {@link LowerLayersNeeded}) is applied again, from the content store, once its parent chain
 * is committed. The first failure stops the other layers' applies and is the
 * unpack's. A snapshotter whose snapshots copy their parent (native) gets the layers one after another.
 *
 * <p>Error kinds, the same for every caller: a layer whose diffID is not the config's is FAILED_PRECONDITION,
 * the kind containerd's content store gives data that does not match its declared digest (its unpacker returns an
 * untyped "wrong diff id calculated on extraction"); more unpacked bytes than the caller's limit is
 * RESOURCE_EXHAUSTED; a config whose diff_ids do not match the layers is INVALID_ARGUMENT. Each names the layer.
 */
public final class Unpacker {

    private static final Log LOG = Log.of(Unpacker.class);
    /** No limit on the unpacked bytes (containerd has none). */
    public static final long UNLIMITED = 0;

    private final LayerApplier applier;
    private final Executor executor;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();

    /** An unpacker that applies the layers one after another on the calling thread. */
    public Unpacker(LayerApplier applier) {
        this(applier, Runnable::run, 1);
    }

    /**
     * @param executor    runs the layers' applies of an unpack in parallel (the commits stay on the calling thread)
     * @param parallelism how many layers of one unpack are applied at once, at most
     */
    public Unpacker(LayerApplier applier, Executor executor, int parallelism) {
        if (parallelism < 1) {
            throw BerthException.invalidArgument("unpacker: parallelism " + parallelism + " is below 1");
        }
        this.applier = applier;
        this.executor = executor;
        this.parallelism = parallelism;
    }

    /** How many layers an unpack into {@code snapshots} applies at once, at most. */
    public int parallelism(Snapshotter snapshots) {
        return snapshots.canRebase() ? parallelism : 1;
    }

    /** The index of the first layer whose chain is not yet a snapshot ({@code diffIds.size()} if none). */
    public int firstMissing(MetadataSnapshotter snapshots, List<String> diffIds) throws IOException {
        List<String> chains = ChainIds.of(diffIds);
        for (int i = chains.size() - 1; i >= 0; i--) {
            if (exists(snapshots, chains.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Unpacks {@code image} with its layers read from {@code content} (import, commit). */
    public String unpack(ContentStore content, MetadataSnapshotter snapshots, ResolvedImage image,
                         long maxUnpackedBytes) throws IOException {
        return unpack(content, snapshots, image, LayerSource.of(content), maxUnpackedBytes);
    }

    /**
     * Unpacks {@code image} into {@code snapshots}, labelling its blobs in {@code content} (both views of one
     * namespace, with the caller's lease); answers the top chain ID, empty for an image without layers.
     *
     * @param maxUnpackedBytes how many uncompressed bytes the layers applied here may have together;
     *                         {@link #UNLIMITED} for no bound
     */
    public String unpack(ContentStore content, MetadataSnapshotter snapshots, ResolvedImage image,
                         LayerSource source, long maxUnpackedBytes) throws IOException {
        List<OciDescriptor> layers = image.manifest().layers() == null ? List.of() : image.manifest().layers();
        List<String> diffIds = image.config().diffIds();
        if (layers.size() != diffIds.size()) {
            throw BerthException.invalidArgument("unpack " + image.manifestDescriptor().digest() + ": "
                    + layers.size() + " layers but " + diffIds.size() + " diff_ids in config "
                    + image.configDescriptor().digest());
        }
        Job job = new Job(content, snapshots, source, layers.stream().map(OciDescriptor::toDescriptor).toList(),
                diffIds, ChainIds.of(diffIds), new UnpackBudget(maxUnpackedBytes));
        int first = firstMissing(snapshots, diffIds);
        for (int i = 0; i < first; i++) {
            source.unpacked(i, job.layers().get(i), job.chains().get(i));
        }
        if (Math.min(parallelism(snapshots), layers.size() - first) <= 1) {
            for (int i = first; i < layers.size(); i++) {
                commit(job, i, extract(job, i, false));
            }
        } else {
            unpackInParallel(job, first);
        }
        if (job.chains().isEmpty()) {
            return "";
        }
        String top = job.chains().getLast();
        ImageLabels.add(content, image.configDescriptor().digest(), ImageLabels.ofConfig(snapshots.name(), top));
        return top;
    }

    /** Applies layers {@code first}.. at once (at most {@link #parallelism}) and commits them in order. */
    private void unpackInParallel(Job job, int first) throws IOException {
        Semaphore permits = new Semaphore(parallelism, true);
        List<CompletableFuture<Optional<Extraction>>> extractions = new ArrayList<>();
        for (int i = first; i < job.layers().size(); i++) {
            int index = i;
            CompletableFuture<Optional<Extraction>> f = new CompletableFuture<>();
            extractions.add(f);
            try {
                executor.execute(() -> extractWithPermit(job, index, index > first, permits, f));
            } catch (RejectedExecutionException e) {
                BerthException stopped = BerthException.unavailable("unpack layer " + job.layers().get(i).digest()
                        + ": the unpacker is shutting down");
                job.fail(stopped);
                f.completeExceptionally(stopped);
            }
        }
        for (int i = first; i < job.layers().size(); i++) {
            Optional<Extraction> x;
            try {
                x = extractions.get(i - first).get();
            } catch (ExecutionException e) {
                continue; // recorded by job.fail(), thrown below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                job.fail(new InterruptedIOException("unpack: interrupted"));
                x = Optional.empty();
            }
            if (job.budget().failure() != null) {
                x.filter(e -> !e.equals(Extraction.AGAIN)).ifPresent(e -> removeQuietly(job.snapshots(), e.key()));
                continue;
            }
            try {
                commit(job, i, x);
            } catch (IOException | RuntimeException e) {
                job.fail(e);
            }
        }
        job.throwFailure();
    }

    private void extractWithPermit(Job job, int index, boolean detached, Semaphore permits,
                                   CompletableFuture<Optional<Extraction>> result) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException stopped = new InterruptedIOException("unpack: interrupted");
            job.fail(stopped);
            result.completeExceptionally(stopped);
            return;
        }
        try {
            if (job.budget().failure() != null) {
                result.complete(Optional.empty()); // never started: nothing to remove
            } else {
                result.complete(extract(job, index, detached));
            }
        } catch (IOException | RuntimeException e) {
            job.fail(e);
            result.completeExceptionally(e);
        } finally {
            permits.release();
        }
    }

    /**
     * Prepares layer {@code index}'s extraction snapshot (without a parent when {@code detached}, else on the
     * chain below) and applies the layer into it; empty when its chain exists already. On failure the
     * extraction snapshot is removed.
     */
    private Optional<Extraction> extract(Job job, int index, boolean detached) throws IOException {
        String chain = job.chains().get(index);
        if (exists(job.snapshots(), chain)) {
            return Optional.empty();
        }
        Descriptor layer = job.layers().get(index);
        String key = "extract-" + HexFormat.of().formatHex(nonce()) + "-" + Digest.parse(chain).encoded();
        String parent = detached || index == 0 ? "" : job.chains().get(index - 1);
        List<Mount> mounts = job.snapshots().prepare(key, parent, Map.of(ImageLabels.SNAPSHOT_REF, chain));
        boolean keep = false;
        try {
            List<String> unlisted = apply(job, index, job.source(), mounts, detached);
            keep = true;
            return Optional.of(new Extraction(key, mounts, detached, unlisted));
        } catch (LowerLayersNeeded e) {
            LOG.debug("layer needs the layers below it, applied again once they are committed", "layer",
                    layer.digest(), "reason", e.getMessage());
            return Optional.of(Extraction.AGAIN);
        } finally {
            if (!keep) {
                removeQuietly(job.snapshots(), key);
            }
        }
    }

    /**
     * Reads layer {@code index} from {@code source} into {@code mounts}; checks the bytes and the diffID. Answers
     * the directories a detached layer used without listing them.
     */
    private List<String> apply(Job job, int index, LayerSource source, List<Mount> mounts, boolean detached)
            throws IOException {
        Descriptor layer = job.layers().get(index);
        AppliedLayer applied;
        List<String> unlisted = List.of();
        try (InputStream in = source.open(index, layer)) {
            Compression compression = Compression.ofMediaType(layer.mediaType());
            // decompressed here rather than in the applier, so that the limit counts what the tar reader sees
            try (InputStream tar = job.budget().counting(compression.decompress(in), layer)) {
                if (detached) {
                    DetachedLayer d = applier.applyDetached(tar, Compression.NONE.mediaType(), mounts, true);
                    applied = d.applied();
                    unlisted = d.unlistedDirectories();
                } else {
                    applied = applier.apply(tar, Compression.NONE.mediaType(), mounts, true);
                }
            }
        } catch (LowerLayersNeeded e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            try {
                source.verify(index, layer);
            } catch (IOException | RuntimeException verdict) {
                if (verdict != e) {
                    verdict.addSuppressed(e);
                }
                throw verdict;
            }
            throw e;
        }
        source.verify(index, layer);
        String diffId = job.diffIds().get(index);
        if (!applied.diffId().toString().equals(diffId)) {
            throw BerthException.failedPrecondition("unpack layer " + layer.digest() + ": diffID "
                    + applied.diffId() + " does not match the config's " + diffId);
        }
        return unlisted;
    }

    /**
     * Makes layer {@code index}'s chain a snapshot, its parent chain being one: commits the extraction (onto the
     * parent chain if it was detached), or applies the layer again on the parent chain when it needed the layers
     * below it; nothing when the chain existed. Then labels the blob and tells the source.
     */
    private void commit(Job job, int index, Optional<Extraction> extraction) throws IOException {
        Descriptor layer = job.layers().get(index);
        String chain = job.chains().get(index);
        if (extraction.isPresent() && extraction.get().equals(Extraction.AGAIN)) {
            job.source().verify(index, layer); // a pull's blob is committed: read it from the store
            extraction = extract(new Job(job, LayerSource.of(job.content())), index, false);
        }
        if (extraction.isPresent()) {
            Extraction x = extraction.get();
            String parent = x.detached() ? job.chains().get(index - 1) : "";
            boolean committed = false;
            try {
                if (!x.unlisted().isEmpty()) {
                    adoptLowerMetadata(job, index, x, parent);
                }
                job.snapshots().commit(chain, x.key(), parent, Map.of(ImageLabels.SNAPSHOT_REF, chain));
                committed = true;
                job.committed().put(index, x);
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                    throw e;
                }
                LOG.debug("chain committed meanwhile by another unpack", "chain", chain);
            } finally {
                if (!committed) {
                    removeQuietly(job.snapshots(), x.key());
                }
            }
            ImageLabels.add(job.content(), layer.digest(), Map.of(ImageLabels.UNCOMPRESSED, job.diffIds().get(index)));
            LOG.debug("layer unpacked", "layer", layer.digest(), "chain", chain);
        }
        job.source().unpacked(index, layer, chain);
    }

    /**
     * Gives detached layer {@code index}'s unlisted directories their metadata from the layers below it: their
     * directories are known from the extractions this unpack committed below it, down to an attached one (whose
     * mounts name the rest); else from a short-lived view of its parent chain.
     */
    private void adoptLowerMetadata(Job job, int index, Extraction x, String parent) throws IOException {
        List<Path> lowers = new ArrayList<>();
        for (int j = index - 1; j >= 0; j--) {
            Extraction below = job.committed().get(j);
            if (below == null) {
                lowers = null; // committed by another unpack, or before this one: ask the snapshotter
                break;
            }
            lowers.addAll(LayerApplier.layerDirectories(below.mounts()));
            if (!below.detached()) {
                break;
            }
        }
        if (lowers != null) {
            applier.adoptLowerMetadata(x.mounts(), lowers, x.unlisted());
            return;
        }
        String view = x.key() + "-lowers";
        List<Mount> mounts = job.snapshots().view(view, parent, Map.of());
        try {
            applier.adoptLowerMetadata(x.mounts(), LayerApplier.layerDirectories(mounts), x.unlisted());
        } finally {
            removeQuietly(job.snapshots(), view);
        }
    }

    private byte[] nonce() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }

    private static boolean exists(MetadataSnapshotter snapshots, String name) throws IOException {
        try {
            snapshots.stat(name);
            return true;
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    /** Removes an unfinished extraction; a failure here must not hide the one that got us here. */
    private static void removeQuietly(MetadataSnapshotter snapshots, String key) {
        try {
            snapshots.remove(key);
        } catch (IOException | BerthException e) {
            LOG.warn("remove unfinished extraction snapshot", e, "key", key);
        }
    }

    /**
     * A layer applied into extraction snapshot {@code key} (whose mounts are {@code mounts}), prepared without a
     * parent if {@code detached}, with the directories it used without listing them; or {@link #AGAIN}.
     */
    private record Extraction(String key, List<Mount> mounts, boolean detached, List<String> unlisted) {
        /** A detached layer that needs the contents of the layers below it: applied again on its parent chain. */
        static final Extraction AGAIN = new Extraction("", List.of(), true, List.of());
    }

    /** One unpack: what it writes to, where its layers come from, and what its layers share. */
    private record Job(ContentStore content, MetadataSnapshotter snapshots, LayerSource source,
                       List<Descriptor> layers, List<String> diffIds, List<String> chains, UnpackBudget budget,
                       Map<Integer, Extraction> committed) {

        Job(ContentStore content, MetadataSnapshotter snapshots, LayerSource source, List<Descriptor> layers,
            List<String> diffIds, List<String> chains, UnpackBudget budget) {
            this(content, snapshots, source, layers, diffIds, chains, budget, new ConcurrentHashMap<>());
        }

        /** The same unpack, with its layers read from {@code other}. */
        Job(Job job, LayerSource other) {
            this(job.content(), job.snapshots(), other, job.layers(), job.diffIds(), job.chains(), job.budget(),
                    job.committed());
        }

        /** Records the unpack's first failure and stops the source's other layers. */
        void fail(Exception e) {
            if (budget.fail(e)) {
                source.cancel(e);
            }
        }

        void throwFailure() throws IOException {
            Exception first = budget.failure();
            if (first instanceof IOException io) {
                throw io;
            }
            if (first instanceof RuntimeException r) {
                throw r;
            }
        }
    }
}
