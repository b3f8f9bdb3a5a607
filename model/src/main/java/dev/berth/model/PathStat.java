package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * docker's {@code ContainerPathStat} (the {@code X-Docker-Container-Path-Stat} header of the archive routes, and
 * what {@code docker cp} reads): the path's base name, its size, its mode as <b>Go's {@code os.FileMode} bits</b>
 * (permissions in the low 9 bits, type and set-id bits high: see {@link #DIR}), its modification time (RFC 3339
 * with nanoseconds) and, for a symlink, the absolute path in the container it resolves to.
 */
public record PathStat(@JsonProperty("name") String name,
                       @JsonProperty("size") long size,
                       @JsonProperty("mode") long mode,
                       @JsonProperty("mtime") String mtime,
                       @JsonProperty("linkTarget") String linkTarget) {

    /** Go's {@code os.ModeDir}. */
    public static final long DIR = 1L << 31;
    /** Go's {@code os.ModeSymlink}. */
    public static final long SYMLINK = 1L << 27;
    /** Go's {@code os.ModeDevice}. */
    public static final long DEVICE = 1L << 26;
    /** Go's {@code os.ModeNamedPipe}. */
    public static final long NAMED_PIPE = 1L << 25;
    /** Go's {@code os.ModeSocket}. */
    public static final long SOCKET = 1L << 24;
    /** Go's {@code os.ModeSetuid}. */
    public static final long SETUID = 1L << 23;
    /** Go's {@code os.ModeSetgid}. */
    public static final long SETGID = 1L << 22;
    /** Go's {@code os.ModeCharDevice}. */
    public static final long CHAR_DEVICE = 1L << 21;
    /** Go's {@code os.ModeSticky}. */
    public static final long STICKY = 1L << 20;

    public boolean isDirectory() {
        return (mode & DIR) != 0;
    }

    public boolean isSymlink() {
        return (mode & SYMLINK) != 0;
    }
}
