package dev.berth.manager.diff;

import java.time.Instant;
import java.util.Map;

/**
 * One tar header, after GNU long names and PAX records have been folded in.
 *
 * @param name      the path as the archive has it (a directory's may end in {@code /})
 * @param mode      the permission, set-id and sticky bits (07777)
 * @param size      the length of the entry's data (regular files only; 0 for every other type)
 * @param linkName  a symlink's target or a hard link's path in the archive; empty for other types
 * @param xattrs    extended attributes from PAX {@code SCHILY.xattr.<name>} records
 */
public record TarEntry(String name, Type type, int mode, int uid, int gid, long size, Instant mtime,
                       String linkName, long devMajor, long devMinor, Map<String, byte[]> xattrs) {

    public TarEntry {
        xattrs = Map.copyOf(xattrs);
    }

    /** The entry types a layer may hold, with their typeflag. */
    public enum Type {
        REGULAR('0'), HARD_LINK('1'), SYMLINK('2'), CHAR_DEVICE('3'), BLOCK_DEVICE('4'), DIRECTORY('5'), FIFO('6');

        private final char flag;

        Type(char flag) {
            this.flag = flag;
        }

        public char flag() {
            return flag;
        }
    }

    /** A regular file of {@code size} bytes. */
    public static TarEntry file(String name, int mode, long size, Instant mtime) {
        return new TarEntry(name, Type.REGULAR, mode, 0, 0, size, mtime, "", 0, 0, Map.of());
    }

    public static TarEntry directory(String name, int mode, Instant mtime) {
        return new TarEntry(name, Type.DIRECTORY, mode, 0, 0, 0, mtime, "", 0, 0, Map.of());
    }

    public static TarEntry symlink(String name, String target, Instant mtime) {
        return new TarEntry(name, Type.SYMLINK, 0777, 0, 0, 0, mtime, target, 0, 0, Map.of());
    }

    public static TarEntry hardLink(String name, String target, Instant mtime) {
        return new TarEntry(name, Type.HARD_LINK, 0644, 0, 0, 0, mtime, target, 0, 0, Map.of());
    }
}
