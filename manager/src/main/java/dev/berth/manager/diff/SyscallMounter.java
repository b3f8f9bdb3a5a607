package dev.berth.manager.diff;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.snapshot.Mount;
import dev.berth.sys.Errno;
import dev.berth.sys.MountSyscalls;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Mounter} over {@code mount(2)}: options that are mount flags ({@code ro}, {@code rbind}, {@code nosuid},
 * …) become flags, the rest is joined with commas into the data string (overlay's {@code lowerdir=…}). A read-only
 * bind needs a second, remounting call, because the kernel ignores MS_RDONLY when it creates a bind mount.
 */
public final class SyscallMounter implements Mounter {
    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_SYNCHRONOUS = 16;
    static final long MS_REMOUNT = 32;
    static final long MS_DIRSYNC = 128;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_RELATIME = 1 << 21;
    static final long MS_STRICTATIME = 1 << 24;
    private static final int MNT_DETACH = 2;
    private static final int BUSY_RETRIES = 50;

    /** Option → (flags to set, flags to clear). */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("defaults", new long[] {0, 0}),
            Map.entry("ro", new long[] {MS_RDONLY, 0}),
            Map.entry("rw", new long[] {0, MS_RDONLY}),
            Map.entry("bind", new long[] {MS_BIND, 0}),
            Map.entry("rbind", new long[] {MS_BIND | MS_REC, 0}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 0}),
            Map.entry("suid", new long[] {0, MS_NOSUID}),
            Map.entry("nodev", new long[] {MS_NODEV, 0}),
            Map.entry("dev", new long[] {0, MS_NODEV}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 0}),
            Map.entry("exec", new long[] {0, MS_NOEXEC}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 0}),
            Map.entry("async", new long[] {0, MS_SYNCHRONOUS}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 0}),
            Map.entry("noatime", new long[] {MS_NOATIME, 0}),
            Map.entry("atime", new long[] {0, MS_NOATIME}),
            Map.entry("nodiratime", new long[] {MS_NODIRATIME, 0}),
            Map.entry("diratime", new long[] {0, MS_NODIRATIME}),
            Map.entry("relatime", new long[] {MS_RELATIME, 0}),
            Map.entry("norelatime", new long[] {0, MS_RELATIME}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("remount", new long[] {MS_REMOUNT, 0}));

    private final MountSyscalls sys;

    public SyscallMounter(MountSyscalls sys) {
        this.sys = sys;
    }

    @Override
    public void mount(List<Mount> mounts, Path target) throws IOException {
        int done = 0;
        try {
            for (Mount m : mounts) {
                mountOne(m, target.toString());
                done++;
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < done; i++) {
                sys.unmount(target.toString(), MNT_DETACH);
            }
            throw e;
        }
    }

    private void mountOne(Mount m, String target) throws IOException {
        long flags = 0;
        List<String> data = new ArrayList<>();
        for (String option : m.options()) {
            long[] f = FLAGS.get(option);
            if (f == null) {
                data.add(option);
            } else {
                flags = (flags | f[0]) & ~f[1];
            }
        }
        String type = m.type();
        if (type.equals("bind") || type.equals("rbind")) {
            flags |= MS_BIND;
            type = "";
        }
        try {
            sys.mount(m.source(), target, type, flags, String.join(",", data));
            if ((flags & MS_BIND) != 0 && (flags & MS_RDONLY) != 0) {
                sys.mount("", target, "", flags | MS_REMOUNT, "");
            }
        } catch (SyscallException e) {
            throw new IOException("mount " + m.type() + " " + m.source() + " on " + target + ": "
                    + Errno.message(e.errno()), e);
        }
    }

    @Override
    public void unmount(Path target) throws IOException {
        int unmounted = 0;
        int busy = 0;
        while (true) {
            try {
                sys.unmount(target.toString(), 0);
                unmounted++;
            } catch (SyscallException e) {
                if (e.errno() == Errno.EINVAL && unmounted > 0) {
                    return; // nothing more is mounted there
                }
                if (e.errno() == Errno.EBUSY && busy++ < BUSY_RETRIES) {
                    sleepBriefly();
                    continue;
                }
                if (e.errno() == Errno.EBUSY) {
                    sys.unmount(target.toString(), MNT_DETACH);
                    unmounted++;
                    continue;
                }
                if (e.errno() == Errno.EINVAL) {
                    throw BerthException.notFound("unmount " + target + ": not a mount point");
                }
                throw new IOException("unmount " + target + ": " + Errno.message(e.errno()), e);
            }
        }
    }

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("unmount: interrupted");
        }
    }
}
