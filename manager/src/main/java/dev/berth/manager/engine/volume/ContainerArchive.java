package dev.berth.manager.engine.volume;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarReader;
import dev.berth.manager.diff.TarWriter;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import dev.berth.manager.fs.TreeDeleter;
import dev.berth.model.PathStat;
import dev.berth.sys.FileSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * docker's container archive ({@code docker cp}, the Docker API's {@code /containers/{id}/archive}): stat, tar and
 * extract paths of a created, running or stopped container, through its rootfs and its volumes and binds (a path
 * under a mount is read from and written to the mount's source, not the rootfs underneath). Paths are resolved in
 * the container's scope ({@link ContainerFs}): no symlink or {@code ..} of the container or of an archive leads
 * outside its root. tmpfs mounts live only in the running container's mount namespace and are refused.
 */
public final class ContainerArchive {
    private static final int ENOTSUP = 95;

    private final FileSyscalls sys;

    public ContainerArchive(FileSyscalls sys) {
        this.sys = sys;
    }

    /** The owner extracted files get instead of the archive's. */
    public record Owner(int uid, int gid) {
    }

    /**
     * How {@link #put} extracts.
     *
     * @param noOverwriteDirNonDir docker's option: refuse to replace a directory with a non-directory or the reverse
     * @param chownTo docker's {@code copyUIDGID} with a container user: every entry owned by that user; empty keeps
     *                the archive's owners (docker's default)
     * @param readOnlyRootfs the container's {@code ReadonlyRootfs}: only writable mounts may be written
     */
    public record ExtractOptions(boolean noOverwriteDirNonDir, Optional<Owner> chownTo, boolean readOnlyRootfs) {
        public static final ExtractOptions DEFAULT = new ExtractOptions(false, Optional.empty(), false);
    }

    /** docker's PathStat of {@code path}: a final symlink is described, not followed (unless the path ends in /). */
    public PathStat stat(Path rootfs, List<ContainerMount> mounts, String path) throws IOException {
        ContainerFs fs = new ContainerFs(rootfs, mounts);
        Target t = target(fs, path, "stat");
        return pathStat(fs, t, existing(t, "stat", path));
    }

    /**
     * Writes a tar of {@code path} to {@code out} (a directory as docker does: its base name as the top entry, its
     * contents below, the mounts inside it included) and answers its PathStat.
     */
    public PathStat get(Path rootfs, List<ContainerMount> mounts, String path, OutputStream out) throws IOException {
        ContainerFs fs = new ContainerFs(rootfs, mounts);
        Target t = target(fs, path, "archive");
        FileStat st = existing(t, "archive", path);
        PathStat stat = pathStat(fs, t, st);
        TarWriter tar = new TarWriter(out);
        Map<FileStat.InodeKey, String> links = new HashMap<>();
        if (st.type() == FileType.DIRECTORY) {
            writeDirectory(fs, tar, t.location().path(), t.name(), st, links);
        } else {
            writeEntry(fs, tar, t.location().path(), t.name(), links);
        }
        tar.finish();
        return stat;
    }

    /**
     * Extracts the tar {@code archive} into the container directory {@code dir}: NOT_FOUND if it does not exist,
     * INVALID_ARGUMENT "extraction point is not a directory" if it is something else; entries that would leave
     * the container's root are refused.
     */
    public void put(Path rootfs, List<ContainerMount> mounts, String dir, InputStream archive, ExtractOptions options)
            throws IOException {
        ContainerFs fs = new ContainerFs(rootfs, mounts);
        ContainerFs.Location at = fs.resolve(absolute(dir), true);
        writable(at, options, dir);
        Optional<FileStat> st = ContainerFs.lstat(at.host());
        if (st.isEmpty()) {
            throw BerthException.notFound("extract to " + dir + ": no such file or directory");
        }
        if (st.get().type() != FileType.DIRECTORY) {
            throw BerthException.invalidArgument("extract to " + dir + ": extraction point is not a directory");
        }
        new Extraction(fs, at.path(), options).run(new TarReader(archive));
    }

    // ---- resolution ----

    /** A requested path: where it is, and the name docker gives it (Go's filepath.Base of the requested path). */
    private record Target(ContainerFs.Location location, String name) {
    }

    /** docker's ResolvePath: the directory part fully resolved in scope, the final element not followed. */
    private static Target target(ContainerFs fs, String path, String op) throws IOException {
        String abs = absolute(path);
        int slash = abs.lastIndexOf('/');
        String base = abs.substring(slash + 1);
        ContainerFs.Location at;
        if (base.isEmpty() || base.equals(".") || base.equals("..")) {
            at = fs.resolve(abs, true);
        } else {
            ContainerFs.Location dir = fs.resolve(abs.substring(0, slash + 1), true);
            at = fs.locate((dir.path().equals("/") ? "" : dir.path()) + "/" + base);
        }
        if (at.host() == null) {
            throw BerthException.failedPrecondition(op + " " + path + ": " + at.mount().orElseThrow().destination()
                    + " is a tmpfs mount, which is not reachable from the host");
        }
        String cleaned = MountRequest.clean(abs);
        String name = base.equals(".") ? "." : cleaned.equals("/") ? "." : cleaned.substring(
                cleaned.lastIndexOf('/') + 1);
        return new Target(at, name);
    }

    private static String absolute(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }

    /** NOT_FOUND naming the path as asked (docker answers 404, which its CLI shows as "No such container:path"). */
    private static FileStat existing(Target t, String op, String path) throws IOException {
        return ContainerFs.lstat(t.location().host()).orElseThrow(() -> BerthException.notFound(
                op + " " + path + ": no such file or directory in the container"));
    }

    private static PathStat pathStat(ContainerFs fs, Target t, FileStat st) throws IOException {
        String linkTarget = "";
        if (st.type() == FileType.SYMLINK) {
            linkTarget = fs.resolve(t.location().path(), true).path();
        }
        return new PathStat(t.name(), st.size(), goFileMode(st), rfc3339Nano(st.mtime()), linkTarget);
    }

    /** Go's {@code os.FileMode} of an lstat: permissions, set-id and sticky bits and the type bits, Go's way. */
    static long goFileMode(FileStat st) {
        long m = st.mode() & 0777;
        if ((st.mode() & 04000) != 0) {
            m |= PathStat.SETUID;
        }
        if ((st.mode() & 02000) != 0) {
            m |= PathStat.SETGID;
        }
        if ((st.mode() & 01000) != 0) {
            m |= PathStat.STICKY;
        }
        return m | switch (st.type()) {
            case DIRECTORY -> PathStat.DIR;
            case SYMLINK -> PathStat.SYMLINK;
            case FIFO -> PathStat.NAMED_PIPE;
            case SOCKET -> PathStat.SOCKET;
            case CHAR_DEVICE -> PathStat.DEVICE | PathStat.CHAR_DEVICE;
            case BLOCK_DEVICE -> PathStat.DEVICE;
            case REGULAR -> 0L;
        };
    }

    /** Go's RFC 3339 with nanoseconds, trailing zeros of the fraction dropped, in UTC. */
    static String rfc3339Nano(Instant t) {
        String seconds = java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, java.time.ZoneOffset.UTC));
        if (t.getNano() == 0) {
            return seconds + "Z";
        }
        String fraction = String.format("%09d", t.getNano()).replaceAll("0+$", "");
        return seconds + "." + fraction + "Z";
    }

    // ---- get ----

    private void writeDirectory(ContainerFs fs, TarWriter tar, String containerPath, String name, FileStat st,
                                Map<FileStat.InodeKey, String> links) throws IOException {
        ContainerFs.Location at = fs.locate(containerPath);
        tar.write(header(name + "/", TarEntry.Type.DIRECTORY, st, 0, "", at.host()), InputStream.nullInputStream());
        TreeSet<String> children = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(at.host())) {
            entries.forEach(p -> children.add(p.getFileName().toString()));
        }
        for (ContainerMount m : fs.mountsDirectlyUnder(containerPath)) {
            children.add(m.destination().substring(m.destination().lastIndexOf('/') + 1));
        }
        String prefix = containerPath.equals("/") ? "/" : containerPath + "/";
        for (String child : children) {
            writeEntry(fs, tar, prefix + child, name + "/" + child, links);
        }
    }

    private void writeEntry(ContainerFs fs, TarWriter tar, String containerPath, String name,
                            Map<FileStat.InodeKey, String> links) throws IOException {
        ContainerFs.Location at = fs.locate(containerPath);
        if (at.host() == null) {
            return; // a tmpfs mount: not reachable from the host
        }
        Optional<FileStat> found = ContainerFs.lstat(at.host());
        if (found.isEmpty()) {
            return; // gone meanwhile, or a mount point the runtime has not created yet
        }
        FileStat st = found.get();
        if (st.type() != FileType.DIRECTORY && st.nlink() > 1) {
            String first = links.putIfAbsent(st.inode(), name);
            if (first != null) {
                tar.write(new TarEntry(name, TarEntry.Type.HARD_LINK, st.mode(), st.uid(), st.gid(), 0, st.mtime(),
                        first, 0, 0, xattrs(at.host())), InputStream.nullInputStream());
                return;
            }
        }
        switch (st.type()) {
            case DIRECTORY -> writeDirectory(fs, tar, containerPath, name, st, links);
            case REGULAR -> {
                try (InputStream in = Files.newInputStream(at.host(), LinkOption.NOFOLLOW_LINKS)) {
                    tar.write(header(name, TarEntry.Type.REGULAR, st, st.size(), "", at.host()), in);
                }
            }
            case SYMLINK -> tar.write(header(name, TarEntry.Type.SYMLINK, st, 0,
                    Files.readSymbolicLink(at.host()).toString(), at.host()), InputStream.nullInputStream());
            case FIFO -> tar.write(header(name, TarEntry.Type.FIFO, st, 0, "", at.host()),
                    InputStream.nullInputStream());
            case CHAR_DEVICE, BLOCK_DEVICE -> tar.write(new TarEntry(name, st.type() == FileType.CHAR_DEVICE
                    ? TarEntry.Type.CHAR_DEVICE : TarEntry.Type.BLOCK_DEVICE, st.mode(), st.uid(), st.gid(), 0,
                    st.mtime(), "", st.major(), st.minor(), xattrs(at.host())), InputStream.nullInputStream());
            case SOCKET -> {
                // as docker's archive: sockets are not archived
            }
        }
    }

    private TarEntry header(String name, TarEntry.Type type, FileStat st, long size, String link, Path host) {
        return new TarEntry(name, type, st.mode(), st.uid(), st.gid(), size, st.mtime(), link, 0, 0, xattrs(host));
    }

    private Map<String, byte[]> xattrs(Path host) {
        Map<String, byte[]> out = new HashMap<>();
        String p = host.toString();
        for (String n : sys.llistxattr(p)) {
            sys.lgetxattr(p, n).ifPresent(v -> out.put(n, v));
        }
        return out;
    }

    // ---- put ----

    private static void writable(ContainerFs.Location at, ExtractOptions options, String path) {
        if (at.mount().isPresent()) {
            ContainerMount m = at.mount().get();
            if (m.type().equals(MountRequest.TMPFS)) {
                throw BerthException.failedPrecondition("extract to " + path + ": " + m.destination()
                        + " is a tmpfs mount, which is not reachable from the host");
            }
            if (!m.readWrite()) {
                throw BerthException.failedPrecondition("extract to " + path + ": mounted volume is marked read-only");
            }
        } else if (options.readOnlyRootfs()) {
            throw BerthException.failedPrecondition("extract to " + path + ": container rootfs is marked read-only");
        }
    }

    /** One extraction: entries in order, directory times at the end (creating their contents changed them). */
    private final class Extraction {
        private final ContainerFs fs;
        private final String dir;
        private final ExtractOptions options;
        private final List<Map.Entry<Path, Instant>> directoryTimes = new ArrayList<>();

        Extraction(ContainerFs fs, String dir, ExtractOptions options) {
            this.fs = fs;
            this.dir = dir;
            this.options = options;
        }

        void run(TarReader reader) throws IOException {
            for (Optional<TarEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
                try {
                    extract(next.get(), reader.content());
                } catch (SyscallException e) {
                    throw new IOException("extract " + next.get().name() + ": " + e.getMessage(), e);
                }
            }
            for (Map.Entry<Path, Instant> d : directoryTimes.reversed()) {
                sys.lutimes(d.getKey().toString(), d.getValue().getEpochSecond(), d.getValue().getNano());
            }
        }

        /** The entry's container path under the extraction directory; refused if it would leave it. */
        private String containerPath(String entryName) {
            List<String> parts = new ArrayList<>();
            for (String c : entryName.split("/")) {
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    if (parts.isEmpty()) {
                        throw BerthException.invalidArgument("extract " + entryName + ": \"" + entryName
                                + "\" is outside of \"" + dir + "\"");
                    }
                    parts.removeLast();
                } else {
                    parts.add(c);
                }
            }
            return parts.isEmpty() ? "" : String.join("/", parts);
        }

        private void extract(TarEntry e, InputStream content) throws IOException {
            String rel = containerPath(e.name());
            if (rel.isEmpty()) {
                return; // the extraction directory itself: docker leaves it as it is
            }
            String prefix = dir.equals("/") ? "/" : dir + "/";
            int slash = rel.lastIndexOf('/');
            String base = rel.substring(slash + 1);
            ContainerFs.Location parent = slash < 0 ? fs.locate(dir) : parentDirectory(prefix + rel.substring(0,
                    slash), e.name());
            ContainerFs.Location at = fs.locate((parent.path().equals("/") ? "" : parent.path()) + "/" + base);
            writable(at, options, e.name());
            Path host = at.host();
            Optional<FileStat> existing = ContainerFs.lstat(host);
            boolean isDir = e.type() == TarEntry.Type.DIRECTORY;
            if (existing.isPresent()) {
                boolean wasDir = existing.get().type() == FileType.DIRECTORY;
                if (options.noOverwriteDirNonDir() && wasDir && !isDir) {
                    throw BerthException.invalidArgument("cannot overwrite directory \"" + at.path()
                            + "\" with non-directory \"" + e.name() + "\"");
                }
                if (options.noOverwriteDirNonDir() && !wasDir && isDir) {
                    throw BerthException.invalidArgument("cannot overwrite non-directory \"" + at.path()
                            + "\" with directory \"" + e.name() + "\"");
                }
                if (!(wasDir && isDir)) {
                    if (at.isMountRoot()) {
                        throw BerthException.invalidArgument("extract " + e.name() + ": cannot replace the mount"
                                + " point " + at.path());
                    }
                    TreeDeleter.delete(host);
                }
            }
            switch (e.type()) {
                case DIRECTORY -> {
                    if (existing.isEmpty() || existing.get().type() != FileType.DIRECTORY) {
                        Files.createDirectory(host);
                    }
                }
                case REGULAR -> Files.copy(content, host); // CREATE_NEW: never through a link
                case SYMLINK -> Files.createSymbolicLink(host, Path.of(e.linkName()));
                case HARD_LINK -> {
                    String link = prefix + containerPath(e.linkName());
                    ContainerFs.Location linkDir = fs.resolve(parentOf(link), true);
                    ContainerFs.Location target = fs.locate((linkDir.path().equals("/") ? "" : linkDir.path())
                            + "/" + link.substring(link.lastIndexOf('/') + 1));
                    if (target.host() == null || ContainerFs.lstat(target.host()).isEmpty()) {
                        throw BerthException.invalidArgument("extract " + e.name() + ": hard link target "
                                + e.linkName() + " does not exist");
                    }
                    Files.createLink(host, target.host());
                    return;
                }
                case FIFO -> sys.mknod(host.toString(), FileSyscalls.S_IFIFO | e.mode(), 0, 0);
                case CHAR_DEVICE -> sys.mknod(host.toString(), FileSyscalls.S_IFCHR | e.mode(), e.devMajor(),
                        e.devMinor());
                case BLOCK_DEVICE -> sys.mknod(host.toString(), FileSyscalls.S_IFBLK | e.mode(), e.devMajor(),
                        e.devMinor());
            }
            metadata(e, host);
        }

        /** The parent directory of an entry resolved in scope, created (0755, as docker) where missing. */
        private ContainerFs.Location parentDirectory(String containerDir, String entry) throws IOException {
            ContainerFs.Location at = fs.resolve(containerDir, true);
            if (at.host() == null) {
                writable(at, options, entry);
            }
            Optional<FileStat> st = ContainerFs.lstat(at.host());
            if (st.isEmpty()) {
                // create each missing component in scope, so no symlink created meanwhile is followed out
                ContainerFs.Location up = parentDirectory(parentOf(at.path()), entry);
                ContainerFs.Location here = fs.locate((up.path().equals("/") ? "" : up.path()) + "/"
                        + at.path().substring(at.path().lastIndexOf('/') + 1));
                writable(here, options, entry);
                if (ContainerFs.lstat(here.host()).isEmpty()) {
                    Files.createDirectory(here.host());
                    sys.chmod(here.host().toString(), 0755);
                }
                return here;
            }
            if (st.get().type() != FileType.DIRECTORY) {
                throw BerthException.invalidArgument("extract " + entry + ": " + at.path() + " is not a directory");
            }
            return at;
        }

        private static String parentOf(String containerPath) {
            int slash = containerPath.lastIndexOf('/');
            return slash <= 0 ? "/" : containerPath.substring(0, slash);
        }

        private void metadata(TarEntry e, Path host) {
            String p = host.toString();
            int uid = options.chownTo().map(Owner::uid).orElse(e.uid());
            int gid = options.chownTo().map(Owner::gid).orElse(e.gid());
            sys.lchown(p, uid, gid);
            if (e.type() != TarEntry.Type.SYMLINK) {
                sys.chmod(p, e.mode()); // after chown, which clears set-id bits
            }
            for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
                try {
                    sys.lsetxattr(p, x.getKey(), x.getValue());
                } catch (SyscallException ex) {
                    if (ex.errno() != ENOTSUP) {
                        throw ex;
                    }
                }
            }
            if (e.type() == TarEntry.Type.DIRECTORY) {
                directoryTimes.add(Map.entry(host, e.mtime()));
            } else {
                sys.lutimes(p, e.mtime().getEpochSecond(), e.mtime().getNano());
            }
        }
    }
}
