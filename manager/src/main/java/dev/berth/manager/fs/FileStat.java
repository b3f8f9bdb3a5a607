package dev.berth.manager.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code lstat(2)} says about a path (never following a final symlink).
 *
 * @param mode the permission, set-id and sticky bits only (07777)
 * @param rdev the device number of a device node ({@link #major()}, {@link #minor()}), else 0
 */
public record FileStat(FileType type, int mode, int uid, int gid, long size, Instant mtime, long rdev, long dev,
                       long ino, int nlink) {

    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,rdev,dev,ino,nlink";

    public static FileStat lstat(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        return new FileStat(FileType.ofMode(mode), mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toInstant(), (Long) a.get("rdev"),
                (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("nlink"));
    }

    /** The major number of {@link #rdev()}, decoded as glibc's {@code major()}. */
    public long major() {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    /** The minor number of {@link #rdev()}, decoded as glibc's {@code minor()}. */
    public long minor() {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }

    /** An overlayfs whiteout: a character device with device number 0:0. */
    public boolean isOverlayWhiteout() {
        return type == FileType.CHAR_DEVICE && rdev == 0;
    }

    /** The identity of the inode, for finding hard links. */
    public InodeKey inode() {
        return new InodeKey(dev, ino);
    }

    /** A (device, inode) pair. */
    public record InodeKey(long dev, long ino) {
    }
}
