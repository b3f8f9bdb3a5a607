package dev.berth.manager.network;

import dev.berth.sys.MountSyscalls;
import dev.berth.sys.NetnsSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The containers' network namespaces: one bind mount per container at {@code <state>/netns/<id>}, made by a
 * throw-away native thread that unshares (no JVM thread changes namespace), removed by a lazy unmount and an
 * unlink. The namespace ends when its mount and its last process are gone.
 */
final class NetnsMounts {

    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;

    private final Path dir;
    private final NetnsSyscalls netns;
    private final MountSyscalls mounts;

    NetnsMounts(Path dir, NetnsSyscalls netns, MountSyscalls mounts) {
        this.dir = dir;
        this.netns = netns;
        this.mounts = mounts;
    }

    Path path(String containerId) {
        return dir.resolve(containerId);
    }

    /** A new network namespace for {@code containerId}; INTERNAL-ish IOException if it cannot be made. */
    Path create(String containerId) throws IOException {
        Files.createDirectories(dir);
        Path target = path(containerId);
        Files.deleteIfExists(target);
        Files.createFile(target);
        try {
            netns.createNetns(target.toString());
        } catch (SyscallException e) {
            Files.deleteIfExists(target);
            throw new IOException("create network namespace for " + containerId + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Unmounts and removes a namespace's file; nothing if it is gone. */
    void remove(Path target) throws IOException {
        try {
            mounts.unmount(target.toString(), MNT_DETACH);
        } catch (SyscallException e) {
            if (e.errno() != EINVAL && e.errno() != ENOENT) {
                throw new IOException("unmount network namespace " + target + ": " + e.getMessage(), e);
            }
        }
        Files.deleteIfExists(target);
    }

    /** The container ids that have a file here. */
    List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                out.add(f.getFileName().toString());
            }
        }
        return out;
    }
}
