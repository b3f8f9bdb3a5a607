package dev.berth.manager.diff;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Digest;
import dev.berth.manager.snapshot.Mount;
import dev.berth.sys.FileSyscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a layer (a tar, plain, gzip or zstd, as its media type says) onto a snapshot, as containerd's
 * {@code diff.Applier}: whiteouts per the OCI image spec, every entry kept inside the root, and the diffID and
 * the compressed digest computed in the same single pass over the stream.
 *
 * <p>Given a snapshot's mounts, it picks the cheapest correct way: a single overlay mount is applied straight into
 * its upperdir (writing overlay whiteouts, as containerd does); a single read-write bind into its source
 * directory; anything else is mounted on a scratch directory, applied as a merged view, and unmounted.
 */
public final class LayerApplier {
    private final FileSyscalls sys;
    private final Mounter mounter;
    private final Path scratch;

    /**
     * @param scratch a directory for temporary mount points (each apply uses its own subdirectory)
     */
    public LayerApplier(FileSyscalls sys, Mounter mounter, Path scratch) {
        this.sys = sys;
        this.mounter = mounter;
        this.scratch = scratch;
    }

    /** Applies {@code layer} (of {@code mediaType}) onto the snapshot that {@code mounts} describe. */
    public AppliedLayer apply(InputStream layer, String mediaType, List<Mount> mounts, boolean allowDevices)
            throws IOException {
        if (mounts.size() == 1) {
            Mount m = mounts.getFirst();
            Optional<String> upper = option(m, "upperdir=");
            if (m.type().equals("overlay") && upper.isPresent()) {
                List<Path> lowers = new ArrayList<>();
                option(m, "lowerdir=").ifPresent(l -> {
                    for (String dir : l.split(":")) {
                        lowers.add(Path.of(dir));
                    }
                });
                return apply(layer, mediaType, Path.of(upper.get()),
                        ApplyOptions.overlayUpper(lowers).allowingDevices(allowDevices));
            }
            if (m.type().equals("bind") && m.options().contains("ro")) {
                throw BerthException.invalidArgument("apply layer onto " + m.source() + ": the mount is read-only");
            }
            if (m.type().equals("bind")) {
                return apply(layer, mediaType, Path.of(m.source()),
                        ApplyOptions.mergedView().allowingDevices(allowDevices));
            }
        }
        Files.createDirectories(scratch);
        Path target = Files.createTempDirectory(scratch, "apply-");
        try {
            mounter.mount(mounts, target);
            try {
                return apply(layer, mediaType, target, ApplyOptions.mergedView().allowingDevices(allowDevices));
            } finally {
                mounter.unmount(target);
            }
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /**
     * Applies {@code layer} (of {@code mediaType}) into a snapshot prepared without its parent, to be committed
     * onto it later ({@code Snapshotter.canRebase}): {@code mounts} is the snapshot's own read-write bind, which
     * receives the layer as an overlay layer (whiteouts as character devices 0:0, opaque directories as xattrs).
     * Throws {@link LowerLayersNeeded}, having written part of the layer, where it needs its lower layers.
     */
    public DetachedLayer applyDetached(InputStream layer, String mediaType, List<Mount> mounts,
                                       boolean allowDevices) throws IOException {
        Path root = detachedRoot(mounts);
        List<String> unlisted = new ArrayList<>();
        AppliedLayer applied = apply(layer, mediaType, root,
                ApplyOptions.detachedUpper().allowingDevices(allowDevices), unlisted);
        return new DetachedLayer(applied, unlisted);
    }

    /**
     * Gives the directories that a detached layer (in {@code mounts}, as {@link #applyDetached} took them) used
     * without listing them the owner, mode and time of the same directory in the nearest of its lower layers,
     * as an apply on top of those would have: {@code lowers} are the lower layers' directories, nearest first.
     */
    public void adoptLowerMetadata(List<Mount> mounts, List<Path> lowers, List<String> directories)
            throws IOException {
        LayerUnpacker.adoptLowerMetadata(sys, detachedRoot(mounts).toRealPath(), lowers, directories);
    }

    /**
     * The layer directories that a snapshot's mounts stack, nearest first: a single overlay's upperdir (if any)
     * then its lowerdirs, a single bind's source; INVALID_ARGUMENT for anything else.
     */
    public static List<Path> layerDirectories(List<Mount> mounts) {
        Mount m = mounts.size() == 1 ? mounts.getFirst() : null;
        List<Path> dirs = new ArrayList<>();
        if (m != null && m.type().equals("bind")) {
            dirs.add(Path.of(m.source()));
        } else if (m != null && m.type().equals("overlay") && option(m, "lowerdir=").isPresent()) {
            option(m, "upperdir=").ifPresent(u -> dirs.add(Path.of(u)));
            for (String dir : option(m, "lowerdir=").get().split(":")) {
                dirs.add(Path.of(dir));
            }
        } else {
            throw BerthException.invalidArgument("read layers of " + mounts + ": not a stack of layers");
        }
        return dirs;
    }

    private static Path detachedRoot(List<Mount> mounts) {
        if (mounts.size() != 1 || !mounts.getFirst().type().equals("bind")
                || mounts.getFirst().options().contains("ro")) {
            throw BerthException.invalidArgument("apply layer without its parents onto " + mounts
                    + ": not a single read-write bind");
        }
        return Path.of(mounts.getFirst().source());
    }

    /**
     * Applies {@code layer} (of {@code mediaType}) into the directory {@code root}. The stream is read to its end
     * and left open.
     */
    public AppliedLayer apply(InputStream layer, String mediaType, Path root, ApplyOptions options)
            throws IOException {
        return apply(layer, mediaType, root, options, new ArrayList<>());
    }

    /** {@link #apply(InputStream, String, Path, ApplyOptions)}, adding the unlisted directories to {@code unlisted}. */
    private AppliedLayer apply(InputStream layer, String mediaType, Path root, ApplyOptions options,
                               List<String> unlisted) throws IOException {
        Compression compression = Compression.ofMediaType(mediaType);
        HashingInputStream compressed = new HashingInputStream(layer);
        if (compression == Compression.NONE) {
            unpack(compressed, root, options, unlisted);
            Digest d = compressed.digest();
            return new AppliedLayer(d, d, compressed.count(), compressed.count());
        }
        // closing the decompressor frees its native state now rather than at GC; the caller's stream stays open
        try (InputStream decompressed = compression.decompress(compressed)) {
            HashingInputStream tar = new HashingInputStream(decompressed);
            unpack(tar, root, options, unlisted);
            compressed.drain();
            return new AppliedLayer(tar.digest(), compressed.digest(), compressed.count(), tar.count());
        }
    }

    private void unpack(HashingInputStream tar, Path root, ApplyOptions options, List<String> unlisted)
            throws IOException {
        LayerUnpacker unpacker = new LayerUnpacker(sys, root.toRealPath(), options);
        unpacker.unpack(new TarReader(tar));
        unlisted.addAll(unpacker.unlistedDirectories());
        tar.drain(); // the diffID covers the whole stream, padding after the end marker included
    }

    private static Optional<String> option(Mount m, String prefix) {
        return m.options().stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length()))
                .findFirst();
    }
}
