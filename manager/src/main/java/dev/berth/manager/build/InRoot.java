package dev.berth.manager.build;

import dev.berth.manager.fs.CleanPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Looks paths up inside a root (an image's mounted view, the build context) the way {@code RESOLVE_IN_ROOT} does:
 * symlinks are followed with their targets taken relative to the root ({@code ..} stops at the root), so that a
 * link in an image cannot make the build read or test anything outside it.
 */
final class InRoot {
    private static final int MAX_SYMLINKS = 40;

    private InRoot() {
    }

    /** The components of {@code path} cleaned ({@code .}, empty and, at the root, {@code ..} dropped). */
    static List<String> clean(String path) {
        return CleanPath.components(path);
    }

    /**
     * The host path {@code path} names in {@code root}, every symlink followed ({@code followLast}: the last one
     * too); empty when a component is missing or is not a directory.
     */
    static Optional<Path> resolve(Path root, String path, boolean followLast) throws IOException {
        Deque<String> todo = new ArrayDeque<>(clean(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path host = host(root, done).resolve(c);
            if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            if (Files.isSymbolicLink(host) && (followLast || !todo.isEmpty())) {
                if (++links > MAX_SYMLINKS) {
                    throw new IOException("resolve " + path + ": too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(host).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> parts = new ArrayList<>();
                for (String p : target.split("/")) {
                    if (!p.isEmpty() && !p.equals(".")) {
                        parts.add(p);
                    }
                }
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            if (!todo.isEmpty() && !Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            done.add(c);
        }
        return Optional.of(host(root, done));
    }

    private static Path host(Path root, List<String> components) {
        Path p = root;
        for (String c : components) {
            p = p.resolve(c);
        }
        return p;
    }
}
