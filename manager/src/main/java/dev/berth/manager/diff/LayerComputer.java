package dev.berth.manager.diff;

import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.snapshot.Mount;
import dev.berth.sys.FileSyscalls;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Computes the layer between two snapshots, as containerd's {@code diff.Comparer}: a tar (optionally compressed)
 * of what the upper tree added or changed, with OCI whiteouts for what it deleted, written to a stream while its
 * digest and diffID are computed.
 *
 * <p>When the upper snapshot is an overlay whose lower directories are exactly the lower snapshot's layers, only
 * its upperdir is walked: overlay whiteouts (char 0:0) become {@code .wh.} entries and the opaque xattr becomes
 * {@code .wh..wh..opq}. Otherwise both trees are walked side by side and compared by type, mode, owner, size,
 * time, link target, device number and xattrs (and contents when the times carry no sub-second part, because
 * then equal times prove little).
 */
public final class LayerComputer {
    private static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";

    private final FileSyscalls sys;
    private final Mounter mounter;
    private final Path scratch;

    /**
     * @param scratch a directory for temporary mount points (each computation uses its own subdirectories)
     */
    public LayerComputer(FileSyscalls sys, Mounter mounter, Path scratch) {
        this.sys = sys;
        this.mounter = mounter;
        this.scratch = scratch;
    }

    /** The changes from the snapshot mounted by {@code lower} (may be empty: nothing) to {@code upper}. */
    public ComputedLayer compute(List<Mount> lower, List<Mount> upper, Compression compression, OutputStream out)
            throws IOException {
        Optional<Path> upperdir = overlayUpperdir(upper, lower);
        if (upperdir.isPresent()) {
            return overlayUpper(upperdir.get(), compression, out);
        }
        try (Mounted l = mounted(lower); Mounted u = mounted(upper)) {
            return compareDirectories(l.dir, u.dir, compression, out);
        }
    }

    /** The changes from directory {@code lower} to directory {@code upper}, by walking both. */
    public ComputedLayer compareDirectories(Path lower, Path upper, Compression compression, OutputStream out)
            throws IOException {
        return write(compression, out, changes -> compare(changes, lower, upper, ""));
    }

    /** The changes an overlay upperdir holds over its lower directories, by walking the upperdir alone. */
    public ComputedLayer overlayUpper(Path upperdir, Compression compression, OutputStream out) throws IOException {
        return write(compression, out, changes -> {
            if (isOpaque(upperdir)) {
                changes.opaque("");
            }
            walkUpper(changes, upperdir, "");
        });
    }

    private interface Walk {
        void run(ChangeWriter changes) throws IOException;
    }

    private ComputedLayer write(Compression compression, OutputStream out, Walk walk) throws IOException {
        return writeTar(compression, out, writer -> walk.run(new ChangeWriter(writer, sys)));
    }

    /** A layer of whatever {@code body} writes into the tar: compressed, hashed (digest and diffID), counted. */
    static ComputedLayer writeTar(Compression compression, OutputStream out, ContentDiffer.TarBody body)
            throws IOException {
        HashingOutputStream compressed = new HashingOutputStream(out);
        OutputStream compressor = compression.compress(compressed);
        HashingOutputStream tar = new HashingOutputStream(compressor);
        BufferedOutputStream buffered = new BufferedOutputStream(tar, 1 << 16);
        TarWriter writer = new TarWriter(buffered);
        body.write(writer);
        writer.finish();
        buffered.flush();
        compressor.close(); // writes the compression trailer; compressed's close only flushes
        compressed.flush();
        return new ComputedLayer(compressed.digest(), compressed.count(), tar.digest(), compression.mediaType());
    }

    private void walkUpper(ChangeWriter changes, Path dir, String prefix) throws IOException {
        for (Path child : ChangeWriter.sortedChildren(dir)) {
            String name = prefix + child.getFileName();
            FileStat st = FileStat.lstat(child);
            if (st.isOverlayWhiteout()) {
                changes.whiteout(prefix, child.getFileName().toString());
                continue;
            }
            changes.entry(child, name, st);
            if (st.type() == FileType.DIRECTORY) {
                if (isOpaque(child)) {
                    changes.opaque(name + "/");
                }
                walkUpper(changes, child, name + "/");
            }
        }
    }

    private boolean isOpaque(Path dir) {
        return sys.lgetxattr(dir.toString(), OVERLAY_OPAQUE)
                .map(v -> new String(v, StandardCharsets.US_ASCII).equals("y")).orElse(false);
    }

    private void compare(ChangeWriter changes, Path lower, Path upper, String prefix) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        ChangeWriter.sortedChildren(lower).forEach(p -> names.add(p.getFileName().toString()));
        ChangeWriter.sortedChildren(upper).forEach(p -> names.add(p.getFileName().toString()));
        for (String n : names) {
            Path l = lower.resolve(n);
            Path u = upper.resolve(n);
            Optional<FileStat> ls = lstat(l);
            Optional<FileStat> us = lstat(u);
            String name = prefix + n;
            if (us.isEmpty()) {
                changes.whiteout(prefix, n);
            } else if (ls.isEmpty()) {
                changes.tree(u, name);
            } else if (us.get().type() == FileType.DIRECTORY && ls.get().type() == FileType.DIRECTORY) {
                if (!sameMetadata(l, ls.get(), u, us.get())) {
                    changes.entry(u, name, us.get());
                }
                compare(changes, l, u, name + "/");
            } else if (us.get().type() == FileType.DIRECTORY) {
                changes.tree(u, name);
            } else if (!sameMetadata(l, ls.get(), u, us.get()) || !sameContent(l, ls.get(), u)) {
                changes.entry(u, name, us.get());
            }
        }
    }

    private boolean sameMetadata(Path l, FileStat a, Path u, FileStat b) throws IOException {
        if (a.type() != b.type() || a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid()
                || a.rdev() != b.rdev() || !a.mtime().equals(b.mtime())
                || (a.type() != FileType.DIRECTORY && a.size() != b.size())) {
            return false;
        }
        if (a.type() == FileType.SYMLINK && !Files.readSymbolicLink(l).equals(Files.readSymbolicLink(u))) {
            return false;
        }
        return sameXattrs(l, u);
    }

    private boolean sameXattrs(Path l, Path u) {
        List<String> ln = new ArrayList<>(sys.llistxattr(l.toString()));
        List<String> un = new ArrayList<>(sys.llistxattr(u.toString()));
        if (ln.isEmpty() && un.isEmpty()) {
            return true;
        }
        ln.sort(null);
        un.sort(null);
        if (!ln.equals(un)) {
            return false;
        }
        for (String name : ln) {
            byte[] a = sys.lgetxattr(l.toString(), name).orElse(null);
            byte[] b = sys.lgetxattr(u.toString(), name).orElse(null);
            if (!Arrays.equals(a, b)) {
                return false;
            }
        }
        return true;
    }

    /** Equal metadata with whole-second times proves little (an archive restored both): compare the bytes. */
    private static boolean sameContent(Path l, FileStat st, Path u) throws IOException {
        if (st.type() != FileType.REGULAR || st.mtime().getNano() != 0) {
            return true;
        }
        return Files.mismatch(l, u) == -1;
    }

    private static Optional<FileStat> lstat(Path p) throws IOException {
        try {
            return Optional.of(FileStat.lstat(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The upperdir of {@code upper} when it is a single overlay mount stacked on exactly the layers of
     * {@code lower}, so that walking the upperdir alone gives the whole difference.
     */
    private static Optional<Path> overlayUpperdir(List<Mount> upper, List<Mount> lower) {
        if (upper.size() != 1 || !upper.getFirst().type().equals("overlay")) {
            return Optional.empty();
        }
        Mount m = upper.getFirst();
        Optional<String> upperdir = option(m, "upperdir=");
        if (upperdir.isEmpty()) {
            return Optional.empty();
        }
        List<String> lowers = option(m, "lowerdir=").map(l -> List.of(l.split(":"))).orElse(List.of());
        return Objects.equals(layers(lower), Optional.of(lowers)) ? upperdir.map(Path::of) : Optional.empty();
    }

    /** The directories a lower snapshot's mounts stack, nearest first, when they can be told from the mounts. */
    private static Optional<List<String>> layers(List<Mount> mounts) {
        if (mounts.isEmpty()) {
            return Optional.of(List.of());
        }
        if (mounts.size() != 1) {
            return Optional.empty();
        }
        Mount m = mounts.getFirst();
        if (m.type().equals("bind")) {
            return Optional.of(List.of(m.source()));
        }
        if (m.type().equals("overlay")) {
            List<String> dirs = new ArrayList<>();
            option(m, "upperdir=").ifPresent(dirs::add);
            option(m, "lowerdir=").ifPresent(l -> dirs.addAll(List.of(l.split(":"))));
            return Optional.of(dirs);
        }
        return Optional.empty();
    }

    private static Optional<String> option(Mount m, String prefix) {
        return m.options().stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length()))
                .findFirst();
    }

    /** A snapshot's tree as a directory: a bind's source as is, nothing as an empty directory, else a mount. */
    private Mounted mounted(List<Mount> mounts) throws IOException {
        if (mounts.size() == 1 && mounts.getFirst().type().equals("bind")) {
            return new Mounted(Path.of(mounts.getFirst().source()), null, false);
        }
        Files.createDirectories(scratch);
        Path dir = Files.createTempDirectory(scratch, "diff-");
        if (mounts.isEmpty()) {
            return new Mounted(dir, dir, false);
        }
        try {
            mounter.mount(mounts, dir);
        } catch (IOException | RuntimeException e) {
            Files.delete(dir);
            throw e;
        }
        return new Mounted(dir, dir, true);
    }

    /** A directory to compare, and what to undo afterwards: a temporary directory (or null), mounted or not. */
    private final class Mounted implements AutoCloseable {
        final Path dir;
        private final Path temp;
        private final boolean isMount;

        Mounted(Path dir, Path temp, boolean isMount) {
            this.dir = dir;
            this.temp = temp;
            this.isMount = isMount;
        }

        @Override
        public void close() throws IOException {
            if (temp == null) {
                return;
            }
            try {
                if (isMount) {
                    mounter.unmount(temp);
                }
            } finally {
                Files.delete(temp);
            }
        }
    }
}
