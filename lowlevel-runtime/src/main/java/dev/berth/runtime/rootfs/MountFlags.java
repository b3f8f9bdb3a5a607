package dev.berth.runtime.rootfs;

/** The {@code MS_*} mount flags, as in {@code <sys/mount.h>}. */
public final class MountFlags {
    public static final long RDONLY = 1;
    public static final long NOSUID = 2;
    public static final long NODEV = 4;
    public static final long NOEXEC = 8;
    public static final long SYNCHRONOUS = 16;
    public static final long REMOUNT = 32;
    public static final long MANDLOCK = 64;
    public static final long DIRSYNC = 128;
    public static final long NOSYMFOLLOW = 256;
    public static final long NOATIME = 1024;
    public static final long NODIRATIME = 2048;
    public static final long BIND = 4096;
    public static final long MOVE = 8192;
    public static final long REC = 16384;
    public static final long SILENT = 32768;
    public static final long UNBINDABLE = 1L << 17;
    public static final long PRIVATE = 1L << 18;
    public static final long SLAVE = 1L << 19;
    public static final long SHARED = 1L << 20;
    public static final long RELATIME = 1L << 21;
    public static final long I_VERSION = 1L << 23;
    public static final long STRICTATIME = 1L << 24;
    public static final long LAZYTIME = 1L << 25;

    private MountFlags() {}
}
