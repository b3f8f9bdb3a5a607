package dev.berth.manager.fs;

import dev.berth.sys.FileSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a directory tree faithfully: contents, modes (set-id and sticky bits too), owners, modification times,
 * extended attributes, symlinks as symlinks, hard links as links, device nodes and fifos with {@code mknod}. Sockets
 * are skipped (they cannot be copied and a process recreates them). The target must not exist.
 */
public final class TreeCopier {
    private final FileSyscalls sys;

    public TreeCopier(FileSyscalls sys) {
        this.sys = sys;
    }

    public void copy(Path source, Path target) throws IOException {
        FileStat root = FileStat.lstat(source);
        if (root.type() != FileType.DIRECTORY) {
            throw new IOException("copy " + source + ": not a directory");
        }
        Map<FileStat.InodeKey, Path> links = new HashMap<>();
        copyDirectory(source, target, root, links);
    }

    private void copyDirectory(Path source, Path target, FileStat stat, Map<FileStat.InodeKey, Path> links)
            throws IOException {
        Files.createDirectory(target);
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
            entries.forEach(children::add);
        }
        for (Path child : children) {
            copyEntry(child, target.resolve(child.getFileName().toString()), links);
        }
        // the directory's times last: creating its children changed them
        copyMetadata(source, target, stat);
    }

    private void copyEntry(Path source, Path target, Map<FileStat.InodeKey, Path> links) throws IOException {
        FileStat stat = FileStat.lstat(source);
        if (stat.type() != FileType.DIRECTORY && stat.nlink() > 1) {
            Path first = links.putIfAbsent(stat.inode(), target);
            if (first != null) {
                Files.createLink(target, first);
                return;
            }
        }
        switch (stat.type()) {
            case DIRECTORY -> {
                copyDirectory(source, target, stat, links);
                return;
            }
            case REGULAR -> Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
            case SYMLINK -> Files.createSymbolicLink(target, Files.readSymbolicLink(source));
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO ->
                    sys.mknod(target.toString(), stat.type().bits() | stat.mode(), stat.major(), stat.minor());
            case SOCKET -> {
                return;
            }
        }
        copyMetadata(source, target, stat);
    }

    private void copyMetadata(Path source, Path target, FileStat stat) {
        String from = source.toString();
        String to = target.toString();
        sys.lchown(to, stat.uid(), stat.gid());
        if (stat.type() != FileType.SYMLINK) {
            // after chown, which clears set-id bits
            sys.chmod(to, stat.mode());
        }
        for (String name : sys.llistxattr(from)) {
            sys.lgetxattr(from, name).ifPresent(value -> setXattrIfSupported(to, name, value));
        }
        sys.lutimes(to, stat.mtime().getEpochSecond(), stat.mtime().getNano());
    }

    /** Copies "where possible": a target filesystem without that namespace (ENOTSUP) loses the attribute. */
    private void setXattrIfSupported(String path, String name, byte[] value) {
        try {
            sys.lsetxattr(path, name, value);
        } catch (SyscallException e) {
            if (e.errno() != ENOTSUP) {
                throw e;
            }
        }
    }

    private static final int ENOTSUP = 95;
}
