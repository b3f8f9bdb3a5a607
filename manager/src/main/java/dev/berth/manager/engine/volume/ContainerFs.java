package dev.berth.manager.engine.volume;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A container's filesystem seen from the host: its rootfs with its volumes and binds over it, and container paths
 * resolved in it the way docker's {@code FollowSymlinkInScope} does. Each component is looked at with
 * {@code lstat} where it lives (the deepest mount whose destination holds it, else the rootfs); a symlink is
 * followed with its target read as a container path (an absolute target starts again at the container's root,
 * {@code ..} stops there), so no link can lead outside the container's root or its mounts. Components that do not
 * exist are kept as they are.
 */
final class ContainerFs {
    private static final int MAX_SYMLINKS = 255;

    private final Path rootfs;
    /** Deepest destination first. */
    private final List<ContainerMount> mounts;

    ContainerFs(Path rootfs, List<ContainerMount> mounts) {
        this.rootfs = rootfs;
        this.mounts = mounts.stream()
                .sorted(Comparator.comparingInt((ContainerMount m) -> m.destination().length()).reversed())
                .toList();
    }

    /**
     * A resolved container path.
     *
     * @param path  the container path with every symlink resolved (the final one only if asked), cleaned
     * @param mount the mount it lies in, empty for the rootfs
     */
    record Location(String path, Optional<ContainerMount> mount, Path host) {
        boolean isMountRoot() {
            return mount.isPresent() && mount.get().destination().equals(path);
        }

        boolean onTmpfs() {
            return mount.isPresent() && mount.get().type().equals(MountRequest.TMPFS);
        }
    }

    /** Resolves {@code path} (absolute or relative to the root), following a final symlink if {@code followFinal}. */
    Location resolve(String path, boolean followFinal) throws IOException {
        List<String> stack = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!stack.isEmpty()) {
                    stack.removeLast();
                }
                continue;
            }
            stack.add(c);
            if (!followFinal && remainingIsEmpty(todo)) {
                break;
            }
            Location at = locate(stack);
            if (at.host() == null || at.isMountRoot()) {
                continue; // inside a tmpfs (not reachable from the host), or a mount's root (what it mounts)
            }
            Optional<FileStat> st = lstat(at.host());
            if (st.isPresent() && st.get().type() == FileType.SYMLINK) {
                if (++links > MAX_SYMLINKS) {
                    throw BerthException.invalidArgument("resolve " + path + ": too many levels of symbolic links");
                }
                stack.removeLast();
                String target = Files.readSymbolicLink(at.host()).toString();
                if (target.startsWith("/")) {
                    stack.clear();
                }
                List<String> parts = List.of(target.split("/"));
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.push(parts.get(i));
                }
            }
        }
        return locate(stack);
    }

    /** The location of an already resolved container path (no symlink followed). */
    Location locate(String containerPath) {
        List<String> stack = new ArrayList<>();
        for (String c : MountRequest.clean(containerPath).split("/")) {
            if (!c.isEmpty()) {
                stack.add(c);
            }
        }
        return locate(stack);
    }

    /** The mounts whose destination is directly inside the container directory {@code dir}. */
    List<ContainerMount> mountsDirectlyUnder(String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        return mounts.stream()
                .filter(m -> m.destination().startsWith(prefix)
                        && m.destination().indexOf('/', prefix.length()) < 0)
                .toList();
    }

    private Location locate(List<String> stack) {
        String path = "/" + String.join("/", stack);
        for (ContainerMount m : mounts) {
            String d = m.destination();
            if (path.equals(d) || path.startsWith(d + "/")) {
                if (m.type().equals(MountRequest.TMPFS)) {
                    return new Location(path, Optional.of(m), null);
                }
                String rest = path.substring(d.length());
                Path host = Path.of(m.source());
                for (String c : rest.split("/")) {
                    if (!c.isEmpty()) {
                        host = host.resolve(c);
                    }
                }
                return new Location(path, Optional.of(m), host);
            }
        }
        Path host = rootfs;
        for (String c : stack) {
            host = host.resolve(c);
        }
        return new Location(path, Optional.empty(), host);
    }

    private static boolean remainingIsEmpty(Deque<String> todo) {
        return todo.stream().allMatch(c -> c.isEmpty() || c.equals("."));
    }

    static Optional<FileStat> lstat(Path p) throws IOException {
        try {
            return Optional.of(FileStat.lstat(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
