package dev.berth.manager.diff;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.FileStat;
import dev.berth.manager.fs.FileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves archive paths inside a root the way {@code openat2(RESOLVE_IN_ROOT)} does, so that nothing a layer
 * holds can reach outside it: every directory component is looked at with {@code lstat}; a symlink is followed
 * with its target taken relative to the root (an absolute target starts again at the root, {@code ..} stops at
 * the root), as containerd's {@code fs.RootPath} does. The resolved parent is a chain of real directories under
 * the root, so creating the final component there (never following it) stays inside.
 *
 * <p>Resolved parents are cached; the caller calls {@link #invalidate()} after removing anything or creating a
 * symlink, which are the only changes that can alter how a path resolves.
 */
final class InRootResolver {
    private static final int MAX_SYMLINKS = 40;

    /** Creates a directory that resolution found missing (the layer did not list it before its contents). */
    interface MissingDirectory {
        void create(List<String> components, Path host) throws IOException;
    }

    private final Path root;
    private final Map<String, Path> cache = new HashMap<>();

    InRootResolver(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * An archive path as components: a leading {@code /} is dropped (absolute names are relative to the root),
     * {@code .} is dropped, {@code ..} removes the previous component; INVALID_ARGUMENT if it would leave the root.
     */
    static List<String> clean(String what, String name) {
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (out.isEmpty()) {
                    throw BerthException.invalidArgument("apply layer " + what + " " + name
                            + ": path escapes the root");
                }
                out.removeLast();
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The host directory that {@code components} name, resolved in the root; a missing directory is created
     * with {@code missing}, or makes the result empty when {@code missing} is null.
     */
    Optional<Path> directory(List<String> components, String entry, MissingDirectory missing) throws IOException {
        String key = String.join("/", components);
        Path cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        List<String> stack = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(components);
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
            Path host = host(stack).resolve(c);
            FileStat st;
            try {
                st = FileStat.lstat(host);
            } catch (NoSuchFileException e) {
                if (missing == null) {
                    return Optional.empty();
                }
                List<String> created = new ArrayList<>(stack);
                created.add(c);
                missing.create(created, host);
                stack.add(c);
                continue;
            }
            switch (st.type()) {
                case DIRECTORY -> stack.add(c);
                case SYMLINK -> {
                    if (++links > MAX_SYMLINKS) {
                        throw BerthException.invalidArgument("apply layer entry " + entry
                                + ": too many levels of symbolic links");
                    }
                    String target = Files.readSymbolicLink(host).toString();
                    if (target.startsWith("/")) {
                        stack.clear();
                    }
                    List<String> parts = List.of(target.split("/"));
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.push(parts.get(i));
                    }
                }
                default -> throw BerthException.invalidArgument("apply layer entry " + entry + ": "
                        + String.join("/", stack) + (stack.isEmpty() ? "" : "/") + c + " is not a directory");
            }
        }
        Path resolved = host(stack);
        cache.put(key, resolved);
        return Optional.of(resolved);
    }

    void invalidate() {
        cache.clear();
    }

    private Path host(List<String> stack) {
        Path p = root;
        for (String s : stack) {
            p = p.resolve(s);
        }
        return p;
    }

    static boolean isDirectory(Path p) throws IOException {
        try {
            return FileStat.lstat(p).type() == FileType.DIRECTORY;
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}
