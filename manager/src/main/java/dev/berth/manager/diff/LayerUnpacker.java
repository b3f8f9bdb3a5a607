package dev.berth.manager.diff;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.fs.TreeDeleter;
import dev.berth.sys.FileSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the entries of one layer into a directory: creates each entry inside the root (see
 * {@link InRootResolver}), sets its owner, mode, extended attributes and time, and carries out the OCI
 * whiteouts as {@link ApplyOptions.Whiteouts} says. Directory times are set at the end, because creating their
 * contents changes them.
 */
final class LayerUnpacker {
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final String OVERLAY_XATTR_PREFIX = "trusted.overlay.";
    private static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";
    private static final int ENOTSUP = 95;

    private final FileSyscalls sys;
    private final InRootResolver resolver;
    private final ApplyOptions options;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 18);
    private final byte[] chunk = new byte[1 << 18];
    /** Paths this layer created, which an opaque marker of the merged view must keep. */
    private final Set<Path> unpacked = new HashSet<>();
    private final List<DirectoryTime> directoryTimes = new ArrayList<>();
    /** Detached: the directories created because entries needed them, not listed (yet), parents first. */
    private final Map<Path, String> unlisted = new LinkedHashMap<>();

    private record DirectoryTime(Path path, Instant mtime) {
    }

    LayerUnpacker(FileSyscalls sys, Path root, ApplyOptions options) {
        this.sys = sys;
        this.resolver = new InRootResolver(root);
        this.options = options;
    }

    void unpack(TarReader reader) throws IOException {
        for (Optional<TarEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
            TarEntry entry = next.get();
            try {
                unpack(entry, reader.content());
            } catch (SyscallException e) {
                throw new IOException("apply layer entry " + entry.name() + ": " + e.getMessage(), e);
            }
        }
        for (DirectoryTime d : directoryTimes.reversed()) {
            try {
                sys.lutimes(d.path().toString(), d.mtime().getEpochSecond(), d.mtime().getNano());
            } catch (SyscallException e) {
                if (e.errno() != 2) { // ENOENT: a later whiteout removed it
                    throw new IOException("apply layer: set time of " + d.path() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private void unpack(TarEntry entry, InputStream content) throws IOException {
        List<String> components = InRootResolver.clean("entry", entry.name());
        if (components.isEmpty()) {
            return; // the root itself: its metadata belongs to the snapshot, not to a layer
        }
        String base = components.getLast();
        List<String> parent = components.subList(0, components.size() - 1);
        if (base.startsWith(WHITEOUT_PREFIX)) {
            if (base.equals(OPAQUE)) {
                opaque(parent, entry);
            } else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
                whiteout(parent, base.substring(WHITEOUT_PREFIX.length()), entry);
            }
            // other .wh..wh.* names are aufs bookkeeping, meaningless here
            return;
        }
        Path dir = resolver.directory(parent, entry.name(), this::createMissing).orElseThrow();
        Path target = dir.resolve(base);
        boolean exists = clearFor(target, entry.type());
        switch (entry.type()) {
            case DIRECTORY -> {
                if (!exists) {
                    Files.createDirectory(target);
                }
                unlisted.remove(target);
            }
            case REGULAR -> writeFile(target, content, entry.size());
            case SYMLINK -> {
                Files.createSymbolicLink(target, Path.of(entry.linkName()));
                resolver.invalidate();
            }
            case HARD_LINK -> {
                Files.createLink(target, linkTarget(entry));
                unpacked.add(target);
                return; // a hard link shares the target's inode and metadata
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                if (!options.allowDevices()) {
                    throw BerthException.invalidArgument("apply layer entry " + entry.name()
                            + ": device nodes are not allowed (allowDevices is off)");
                }
                int type = entry.type() == TarEntry.Type.CHAR_DEVICE ? FileSyscalls.S_IFCHR : FileSyscalls.S_IFBLK;
                sys.mknod(target.toString(), type | entry.mode(), entry.devMajor(), entry.devMinor());
            }
            case FIFO -> sys.mknod(target.toString(), FileSyscalls.S_IFIFO | entry.mode(), 0, 0);
        }
        unpacked.add(target);
        setMetadata(target, entry);
    }

    /**
     * Makes room for an entry: an existing directory stays for a directory entry (returns true), anything else
     * in the way is removed, as tar does.
     */
    private boolean clearFor(Path target, TarEntry.Type type) throws IOException {
        FileStat st;
        try {
            st = FileStat.lstat(target);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (type == TarEntry.Type.DIRECTORY && st.type() == FileType.DIRECTORY) {
            return true;
        }
        deleteTree(target);
        return false;
    }

    private void writeFile(Path target, InputStream content, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            long left = size;
            while (left > 0) {
                int n = content.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    throw BerthException.invalidArgument("apply layer entry " + target + ": data ended early");
                }
                buffer.clear();
                buffer.put(chunk, 0, n).flip();
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                left -= n;
            }
        }
    }

    /** The existing file a hard link entry names, resolved inside the root and never a directory. */
    private Path linkTarget(TarEntry entry) throws IOException {
        List<String> components;
        try {
            components = InRootResolver.clean("hard link", entry.linkName());
        } catch (BerthException e) {
            throw BerthException.invalidArgument("apply layer entry " + entry.name() + ": hard link target "
                    + entry.linkName() + " is outside the root");
        }
        if (components.isEmpty()) {
            throw BerthException.invalidArgument("apply layer entry " + entry.name() + ": hard link to the root");
        }
        Path dir = resolver.directory(components.subList(0, components.size() - 1), entry.name(),
                this::createMissing).orElseThrow();
        Path target = dir.resolve(components.getLast());
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (options.whiteouts() == ApplyOptions.Whiteouts.DETACHED_UPPER) {
                throw new LowerLayersNeeded("apply layer entry " + entry.name() + ": hard link target "
                        + entry.linkName() + " is not in the layer");
            }
            if (options.whiteouts() == ApplyOptions.Whiteouts.OVERLAY_UPPER) {
                copyUp(components, target);
            }
        }
        FileStat st;
        try {
            st = FileStat.lstat(target);
        } catch (NoSuchFileException e) {
            throw BerthException.invalidArgument("apply layer entry " + entry.name() + ": hard link target "
                    + entry.linkName() + " does not exist");
        }
        if (st.type() == FileType.DIRECTORY) {
            throw BerthException.invalidArgument("apply layer entry " + entry.name() + ": hard link target "
                    + entry.linkName() + " is a directory");
        }
        return target;
    }

    /** Overlay's copy-up, by hand: the upperdir gets the nearest lower layer's file so that it can be linked. */
    private void copyUp(List<String> components, Path target) throws IOException {
        for (Path lower : options.lowerDirs()) {
            Optional<Path> source = lowerPath(lower, components, false);
            if (source.isPresent()) {
                FileStat st = FileStat.lstat(source.get());
                if (st.type() == FileType.REGULAR) {
                    Files.copy(source.get(), target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    sys.lchown(target.toString(), st.uid(), st.gid());
                    sys.chmod(target.toString(), st.mode());
                    return;
                }
            }
        }
    }

    private void whiteout(List<String> parent, String name, TarEntry entry) throws IOException {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw BerthException.invalidArgument("apply layer entry " + entry.name() + ": bad whiteout");
        }
        if (options.whiteouts() == ApplyOptions.Whiteouts.MERGED_VIEW) {
            Optional<Path> dir = resolver.directory(parent, entry.name(), null);
            if (dir.isPresent()) {
                deleteTree(dir.get().resolve(name));
            }
            return;
        }
        Path dir = resolver.directory(parent, entry.name(), this::createMissing).orElseThrow();
        Path target = dir.resolve(name);
        deleteTree(target);
        sys.mknod(target.toString(), FileSyscalls.S_IFCHR, 0, 0);
    }

    private void opaque(List<String> dirComponents, TarEntry entry) throws IOException {
        if (options.whiteouts().overlay()) {
            Path dir = resolver.directory(dirComponents, entry.name(), this::createMissing).orElseThrow();
            sys.lsetxattr(dir.toString(), OVERLAY_OPAQUE, "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        Optional<Path> dir = resolver.directory(dirComponents, entry.name(), null);
        if (dir.isEmpty()) {
            return;
        }
        List<Path> lowerChildren = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir.get())) {
            for (Path child : children) {
                if (!unpacked.contains(child)) {
                    lowerChildren.add(child);
                }
            }
        }
        for (Path child : lowerChildren) {
            deleteTree(child);
        }
    }

    /**
     * A directory the layer uses before listing it. In an overlay upperdir it copies the metadata of the same
     * directory in the nearest lower layer, as overlay's copy-up would; otherwise it is root's, mode 0755.
     */
    private void createMissing(List<String> components, Path host) throws IOException {
        Files.createDirectory(host);
        if (options.whiteouts() == ApplyOptions.Whiteouts.DETACHED_UPPER) {
            sys.chmod(host.toString(), 0755);
            unlisted.put(host, String.join("/", components));
            return;
        }
        Optional<DirectoryTime> adopted = adoptLower(sys, host, options.lowerDirs(), components);
        if (adopted.isPresent()) {
            directoryTimes.add(adopted.get());
        } else {
            sys.chmod(host.toString(), 0755);
        }
    }

    /**
     * Gives directory {@code host} the owner and mode of the same directory ({@code components}) in the nearest of
     * {@code lowers} that has it, as overlay's copy-up would; answers the time to set once its contents are written.
     */
    private static Optional<DirectoryTime> adoptLower(FileSyscalls sys, Path host, List<Path> lowers,
                                                      List<String> components) throws IOException {
        for (Path lower : lowers) {
            Optional<Path> same = lowerPath(lower, components, true);
            if (same.isPresent()) {
                FileStat st = FileStat.lstat(same.get());
                sys.lchown(host.toString(), st.uid(), st.gid());
                sys.chmod(host.toString(), st.mode());
                return Optional.of(new DirectoryTime(host, st.mtime()));
            }
        }
        return Optional.empty();
    }

    /** The directories created for entries that did not list them, relative to the root, parents first. */
    List<String> unlistedDirectories() {
        return List.copyOf(unlisted.values());
    }

    /**
     * What an apply onto {@code lowers} (nearest first) would have given {@code directories} (relative to
     * {@code root}, parents first, created root's with mode 0755): the owner, mode and time of the same directory
     * in the nearest lower layer that has it. One no longer a directory is skipped.
     */
    static void adoptLowerMetadata(FileSyscalls sys, Path root, List<Path> lowers, List<String> directories)
            throws IOException {
        List<DirectoryTime> times = new ArrayList<>();
        for (String dir : directories) {
            Path host = root.resolve(dir);
            if (!InRootResolver.isDirectory(host)) {
                continue;
            }
            adoptLower(sys, host, lowers, List.of(dir.split("/"))).ifPresent(times::add);
        }
        for (DirectoryTime d : times.reversed()) {
            sys.lutimes(d.path().toString(), d.mtime().getEpochSecond(), d.mtime().getNano());
        }
    }

    /** {@code components} under a lower layer, looked up without following any symlink. */
    private static Optional<Path> lowerPath(Path lower, List<String> components, boolean wantDirectory)
            throws IOException {
        Path p = lower;
        for (int i = 0; i < components.size(); i++) {
            p = p.resolve(components.get(i));
            FileStat st;
            try {
                st = FileStat.lstat(p);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            boolean last = i == components.size() - 1;
            if (st.isOverlayWhiteout()) {
                return Optional.empty();
            }
            if (st.type() != FileType.DIRECTORY && (!last || wantDirectory)) {
                return Optional.empty();
            }
        }
        return Optional.of(p);
    }

    private void setMetadata(Path target, TarEntry entry) throws IOException {
        String path = target.toString();
        sys.lchown(path, entry.uid(), entry.gid());
        if (entry.type() != TarEntry.Type.SYMLINK) {
            sys.chmod(path, entry.mode()); // after lchown, which clears the set-id bits
        }
        for (var x : entry.xattrs().entrySet()) {
            if (x.getKey().startsWith(OVERLAY_XATTR_PREFIX)) {
                continue; // overlay's own attributes come from whiteouts, never from a layer's data
            }
            try {
                sys.lsetxattr(path, x.getKey(), x.getValue());
            } catch (SyscallException e) {
                if (e.errno() != ENOTSUP) {
                    throw e;
                }
            }
        }
        if (entry.type() == TarEntry.Type.DIRECTORY) {
            directoryTimes.add(new DirectoryTime(target, entry.mtime()));
        } else {
            sys.lutimes(path, entry.mtime().getEpochSecond(), entry.mtime().getNano());
        }
    }

    /** Removes a path (recursively for a directory, never following a symlink) and forgets resolved parents. */
    private void deleteTree(Path top) throws IOException {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        resolver.invalidate();
        TreeDeleter.delete(top, p -> {
            unpacked.remove(p);
            unlisted.remove(p);
        });
    }
}
