package dev.berth.manager.fs;

/** The type bits of {@code st_mode}. */
public enum FileType {
    REGULAR(0100000), DIRECTORY(0040000), SYMLINK(0120000), CHAR_DEVICE(0020000), BLOCK_DEVICE(0060000),
    FIFO(0010000), SOCKET(0140000);

    private static final int S_IFMT = 0170000;

    private final int bits;

    FileType(int bits) {
        this.bits = bits;
    }

    /** The {@code S_IF*} bits, as {@code mknod(2)} takes them. */
    public int bits() {
        return bits;
    }

    static FileType ofMode(int mode) {
        int type = mode & S_IFMT;
        for (FileType t : values()) {
            if (t.bits == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("file mode " + Integer.toOctalString(mode) + ": unknown type");
    }
}
