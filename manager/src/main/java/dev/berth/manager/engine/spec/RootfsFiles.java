package dev.berth.manager.engine.spec;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Reads files of a container's root filesystem from the host, resolving symbolic links inside the rootfs (an
 * absolute link target is relative to the rootfs, {@code ..} stops at its root), as moby's
 * {@code FollowSymlinkInScope}: an image's {@code /etc/passwd -> /etc/shadow-of-the-host} cannot make the host read
 * its own file.
 */
final class RootfsFiles {
    private static final int MAX_LINKS = 255;

    private final Path rootfs;

    RootfsFiles(Path rootfs) {
        this.rootfs = rootfs;
    }

    /** The lines of {@code path} (absolute, in the container), or empty when it does not exist. */
    Optional<List<String>> lines(String path) {
        Path file = resolve(path);
        try {
            return Optional.of(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw BerthException.internal("read " + path + " in " + rootfs + ": " + e.getMessage());
        }
    }

    /** {@code path} (absolute, in the container) on the host, its links followed inside the rootfs. */
    Path resolve(String path) {
        Deque<String> pending = new ArrayDeque<>(List.of(path.split("/")));
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                resolved.pollLast();
                continue;
            }
            Path candidate = host(resolved).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw BerthException.invalidArgument("resolve " + path + " in " + rootfs
                            + ": too many levels of symbolic links");
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw BerthException.internal("read link " + candidate + ": " + e.getMessage());
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> parts = List.of(target.split("/"));
                for (int i = parts.size() - 1; i >= 0; i--) {
                    pending.addFirst(parts.get(i));
                }
                continue;
            }
            resolved.addLast(part);
        }
        return host(resolved);
    }

    /**
     * Creates directory {@code path} (absolute, in the container) and its missing parents, owned by root, as docker
     * creates a missing working directory; an existing file that is not a directory there is an error naming
     * {@code what}.
     */
    void createDirectory(String path, String what) {
        Path dir = resolve(path);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw BerthException.invalidArgument("create " + what + " " + path + ": not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw BerthException.internal("create " + what + " " + path + " in " + rootfs + ": " + e.getMessage());
        }
    }

    private Path host(Deque<String> parts) {
        Path p = rootfs;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }
}
