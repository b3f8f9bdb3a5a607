package dev.berth.manager.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The build context: the client's tar, extracted into a private directory of the build. Entries are created
 * without following any symlink the archive made before them, and no entry may name a path outside the directory.
 * COPY and ADD name their sources relative to its root; a source that leaves the context is refused.
 */
final class BuildContext {
    private final Path root;

    private BuildContext(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Extracts {@code tar} into {@code dir} (an empty directory); {@code owners}: with the entries' owners. */
    static BuildContext extract(InputStream tar, Path dir, boolean owners) throws IOException {
        TarReader reader = new TarReader(tar);
        for (Optional<TarEntry> next = reader.next(); next.isPresent(); next = reader.next()) {
            TarEntry e = next.get();
            List<String> parts = components(e.name());
            if (parts.isEmpty()) {
                continue;
            }
            Path parent = directories(dir, parts.subList(0, parts.size() - 1));
            Path target = parent.resolve(parts.getLast());
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && e.type() == TarEntry.Type.DIRECTORY) {
                continue;
            }
            Files.deleteIfExists(target);
            switch (e.type()) {
                case DIRECTORY -> Files.createDirectory(target);
                case REGULAR -> Files.copy(reader.content(), target);
                case SYMLINK -> Files.createSymbolicLink(target, Path.of(e.linkName()));
                case HARD_LINK -> {
                    List<String> to = components(e.linkName());
                    Path source = directories(dir, to.subList(0, to.size() - 1)).resolve(to.getLast());
                    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                        throw BerthException.invalidArgument("build context: hard link " + e.name() + " to "
                                + e.linkName() + ": no such file in the context");
                    }
                    Files.copy(source, target);
                }
                default -> {
                    continue; // devices and fifos have no place in a context
                }
            }
            if (owners) {
                Files.setAttribute(target, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(target, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
            }
            if (e.type() != TarEntry.Type.SYMLINK) {
                Files.setAttribute(target, "unix:mode", e.mode() & 07777, LinkOption.NOFOLLOW_LINKS);
                Files.setLastModifiedTime(target, FileTime.from(e.mtime()));
            }
        }
        return new BuildContext(dir);
    }

    /** A context that is a directory already (the Dockerfile's text came alone: an empty context). */
    static BuildContext of(Path dir) {
        return new BuildContext(dir);
    }

    private static List<String> components(String name) {
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw BerthException.invalidArgument("build context: entry " + name + " leaves the context");
            }
            out.add(c);
        }
        return out;
    }

    /** The directory {@code parts} names under {@code dir}, created as needed; a symlink on the way is refused. */
    private static Path directories(Path dir, List<String> parts) throws IOException {
        Path p = dir;
        for (String c : parts) {
            p = p.resolve(c);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(p);
            } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw BerthException.invalidArgument("build context: " + p.subpath(dir.getNameCount(),
                        p.getNameCount()) + " is not a directory but has entries below it");
            }
        }
        return p;
    }

    /** A file of the context read as text (the Dockerfile); NOT_FOUND in docker's words when absent. */
    String read(String path) throws IOException {
        Path p = inside(path, "dockerfile");
        if (!Files.isRegularFile(p)) {
            throw BerthException.invalidArgument("Cannot locate specified Dockerfile: " + path);
        }
        return Files.readString(p);
    }

    /**
     * The context's paths that {@code pattern} matches (a path, or a glob as Go's {@code filepath.Match} with
     * {@code *}, {@code ?} and {@code [...]}, per path component), in order; INVALID_ARGUMENT when a source leaves
     * the context or nothing matches.
     */
    List<Path> sources(String instruction, String pattern) throws IOException {
        String rel = String.join("/", relative(instruction, pattern));
        if (rel.isEmpty()) {
            return List.of(root);
        }
        if (!PathGlob.hasWildcards(rel)) {
            Path p = root.resolve(rel);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw notFound(instruction, pattern);
            }
            return List.of(p);
        }
        List<Path> out = PathGlob.expand(root, List.of(rel.split("/"))).stream().map(root::resolve).toList();
        if (out.isEmpty()) {
            throw notFound(instruction, pattern);
        }
        return out;
    }

    private static List<String> relative(String instruction, String pattern) {
        List<String> out = new ArrayList<>();
        for (String c : pattern.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (out.isEmpty()) {
                    throw BerthException.invalidArgument(instruction + " failed: forbidden path outside the build "
                            + "context: " + pattern);
                }
                out.removeLast();
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private Path inside(String path, String instruction) {
        return root.resolve(String.join("/", relative(instruction, path)));
    }

    private static BerthException notFound(String instruction, String pattern) {
        return BerthException.invalidArgument(instruction + " failed: file not found in build context or excluded "
                + "by .dockerignore: stat " + pattern + ": file does not exist");
    }
}
