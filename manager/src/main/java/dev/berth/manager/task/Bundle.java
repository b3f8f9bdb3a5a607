package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.TreeDeleter;
import dev.berth.sys.MountSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * A task's OCI bundle under the state root, laid out as containerd's {@code core/runtime/v2/bundle.go} lays it out
 * (see the package documentation for the tree). berthd writes {@code config.json} and an empty {@code rootfs}; the
 * shim mounts the task's rootfs there.
 */
final class Bundle {
    /** The directory under the state root that holds the bundles, named as containerd names its plugin's. */
    static final String RUNTIME_DIR = "io.containerd.runtime.v2.task";
    private static final int MNT_DETACH = 2;
    /** More stacked mounts than any rootfs has: past this, unmounting does not make progress. */
    private static final int MAX_UNMOUNTS = 64;

    private final Path dir;
    private final String namespace;
    private final String id;

    private Bundle(Path dir, String namespace, String id) {
        this.dir = dir;
        this.namespace = namespace;
        this.id = id;
    }

    static Path dir(Path stateRoot, String namespace, String id) {
        return stateRoot.resolve(RUNTIME_DIR).resolve(namespace).resolve(id);
    }

    /**
     * Creates {@code <state>/io.containerd.runtime.v2.task/<ns>/<id>/} with {@code config.json} and an empty
     * {@code rootfs}; on failure nothing of it is left.
     *
     * @throws BerthException ALREADY_EXISTS if the directory exists (a bundle this call must not touch)
     */
    static Bundle create(Path stateRoot, String namespace, String id, byte[] spec) throws IOException {
        Path dir = dir(stateRoot, namespace, id);
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            throw BerthException.alreadyExists("create bundle " + dir + ": already exists");
        }
        Bundle bundle = new Bundle(dir, namespace, id);
        try {
            Files.createDirectory(bundle.rootfs(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            Files.write(dir.resolve("config.json"), spec);
            return bundle;
        } catch (IOException | RuntimeException e) {
            TreeDeleter.delete(dir);
            throw e;
        }
    }

    /** The bundle of an existing directory {@code <…>/<ns>/<id>}. */
    static Bundle load(Path dir) {
        return new Bundle(dir, dir.getParent().getFileName().toString(), dir.getFileName().toString());
    }

    Path dir() {
        return dir;
    }

    Path rootfs() {
        return dir.resolve("rootfs");
    }

    String namespace() {
        return namespace;
    }

    String id() {
        return id;
    }

    /** The address the shim's {@code start} printed, once it did. */
    Optional<String> address() throws IOException {
        return read("address");
    }

    /** The shim binary that was started for this bundle, once it was. */
    Optional<Path> shimBinary() throws IOException {
        return read("shim-binary-path").map(Path::of);
    }

    private Optional<String> read(String name) throws IOException {
        try {
            String s = Files.readString(dir.resolve(name), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes the bundle. Whatever is still mounted in it is unmounted first (lazily), and {@code rootfs} is
     * removed only if empty, so a rootfs is never emptied through the bundle. The directory is renamed to {@code
     * .<id>} before its files go, so a crash mid-way leaves no bundle that looks like a task ({@link
     * #isLeftover}).
     */
    void delete(MountSyscalls sys) throws IOException {
        purge(sys, retire(sys));
    }

    /**
     * Renames the bundle to {@code .<id>} (its rootfs unmounted and emptied first) so the id is free for a new
     * task at once; the caller purges the returned directory when the shim is gone.
     */
    Path retire(MountSyscalls sys) throws IOException {
        Path doomed = dir.resolveSibling("." + id);
        purge(sys, doomed);
        if (Files.exists(dir)) {
            unmountAndEmptyRootfs(sys, dir);
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        }
        return doomed;
    }


    /** True for what an interrupted {@link #delete} leaves: a {@code .<id>} directory. */
    static boolean isLeftover(Path dir) {
        return dir.getFileName().toString().startsWith(".");
    }

    /** Removes a bundle directory as {@link #delete} does, without the rename. */
    static void purge(MountSyscalls sys, Path dir) throws IOException {
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            unmountAndEmptyRootfs(sys, dir);
            TreeDeleter.delete(dir);
        }
    }

    private static void unmountAndEmptyRootfs(MountSyscalls sys, Path dir) throws IOException {
        unmountAll(sys, dir);
        try {
            Files.deleteIfExists(dir.resolve("rootfs"));
        } catch (DirectoryNotEmptyException e) {
            throw BerthException.failedPrecondition("delete bundle " + dir + ": rootfs is not empty, kept");
        }
    }

    private static void unmountAll(MountSyscalls sys, Path dir) throws IOException {
        for (int i = 0; i < MAX_UNMOUNTS; i++) {
            List<Path> mounted = MountInfo.at(dir);
            if (mounted.isEmpty()) {
                return;
            }
            try {
                sys.unmount(mounted.getFirst().toString(), MNT_DETACH);
            } catch (SyscallException e) {
                throw new IOException("delete bundle " + dir + ": unmount " + mounted.getFirst() + ": "
                        + e.getMessage(), e);
            }
        }
        throw BerthException.failedPrecondition("delete bundle " + dir + ": still mounted after "
                + MAX_UNMOUNTS + " unmounts");
    }
}
