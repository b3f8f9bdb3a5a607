package dev.berth.manager.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * The modes berthd gives what it keeps under its root and state, and how it creates them whatever the umask. A
 * snapshot or blob reachable by any local user lets that user run a setuid binary an image placed there, or read
 * what containers wrote (the CVE-2021-41103 class); containerd answers with 0711 for its root and state and 0700
 * for the stores below them, and so does berthd.
 */
public final class Permissions {

    /** Only root may list or enter: content, snapshots, scratch mounts. */
    public static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** Others may pass through but not list: the root and state directories, as containerd's 0711. */
    public static final Set<PosixFilePermission> TRAVERSABLE_DIRECTORY = PosixFilePermissions.fromString("rwx--x--x");
    /** Only root may read or write: the metadata database and its WAL and shared-memory files. */
    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private Permissions() {
    }

    /**
     * Creates {@code dir} and each missing parent with {@code mode}, set explicitly after each mkdir so that the
     * umask neither widens nor narrows it; directories that exist keep their mode. Returns {@code dir}.
     */
    public static Path createDirectories(Path dir, Set<PosixFilePermission> mode) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                Files.setPosixFilePermissions(p, mode);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                // made by a concurrent caller, who set its mode
            }
        }
        return dir;
    }

    /** Creates the empty file {@code file} with {@code mode} unless it exists; an existing file is left as it is. */
    public static void createFile(Path file, Set<PosixFilePermission> mode) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(mode));
            Files.setPosixFilePermissions(file, mode);
        } catch (FileAlreadyExistsException e) {
            // kept: its mode is checked where the caller checks modes
        }
    }

    /**
     * Gives {@code path} exactly {@code mode} if it exists with another; returns the mode it had then, empty if it
     * had {@code mode} already or does not exist. Symbolic links are not followed into: a link is left alone.
     */
    public static Optional<Set<PosixFilePermission>> restrict(Path path, Set<PosixFilePermission> mode)
            throws IOException {
        if (Files.isSymbolicLink(path)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> old;
        try {
            old = Files.getPosixFilePermissions(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (old.equals(mode)) {
            return Optional.empty();
        }
        Files.setPosixFilePermissions(path, mode);
        return Optional.of(old);
    }

    /** {@code mode} in octal, as {@code ls} users read it: {@code 0755}. */
    public static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", bits);
    }
}
