package dev.berth.cli.archive;

/**
 * One tar header: the path inside the archive, the kind, permission bits, size, modification time (seconds) and
 * the target of a link.
 */
public record TarEntry(String name, Kind kind, int mode, long size, long mtime, String linkName) {
    public enum Kind { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }
}
