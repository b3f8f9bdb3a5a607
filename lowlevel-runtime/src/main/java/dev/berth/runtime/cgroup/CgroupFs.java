package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file operations cgroup code performs on a cgroup filesystem; every failure is a {@link CgroupException} that
 * names the operation and the path.
 *
 * <p>{@link #host()} is the kernel's cgroupfs. Tests substitute a fake tree in a temp directory that behaves like the
 * kernel where it matters (a new directory is populated with control files, removing a directory removes them).
 */
public interface CgroupFs {

    /** The content of {@code file} without trailing whitespace. */
    String read(Path file);

    /** Writes {@code value} to the existing file {@code file} in a single write (cgroupfs parses each write alone). */
    void write(Path file, String value);

    boolean exists(Path path);

    /** Creates one directory level; an existing directory is fine. */
    void mkdir(Path dir);

    /** Removes one (cgroup) directory; a missing directory is fine. */
    void rmdir(Path dir);

    /** The direct subdirectories of {@code dir}; empty if {@code dir} is missing. */
    List<Path> subdirectories(Path dir);

    /** The names of the regular files in {@code dir}; empty if {@code dir} is missing. */
    List<String> fileNames(Path dir);

    /** The kernel's cgroupfs. */
    static CgroupFs host() {
        return new HostCgroupFs();
    }

    /** A number from a single-value file; {@code max} reads as -1 (unlimited, all ones as unsigned). */
    default long readLong(Path file) {
        return parseLong(read(file), file);
    }

    /** Like {@link #readLong} but 0 when the file does not exist (a controller feature the kernel lacks). */
    default long readLongIfExists(Path file) {
        return exists(file) ? readLong(file) : 0;
    }

    /** A flat keyed file such as {@code cpu.stat} or {@code memory.stat}: one {@code key value} pair per line. */
    default Map<String, Long> readKeyed(Path file) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                out.put(f[0], parseLong(f[1], file));
            }
        }
        return out;
    }

    /** Like {@link #readKeyed} but empty when the file does not exist. */
    default Map<String, Long> readKeyedIfExists(Path file) {
        return exists(file) ? readKeyed(file) : Map.of();
    }

    /** Every pid in {@code cgroup.procs} of {@code dir} and of all its descendants. */
    default List<Long> pidsRecursive(Path dir) {
        List<Long> pids = new ArrayList<>();
        if (!exists(dir)) {
            return pids;
        }
        for (String line : read(dir.resolve("cgroup.procs")).split("\n")) {
            if (!line.isBlank()) {
                pids.add(parseLong(line.trim(), dir.resolve("cgroup.procs")));
            }
        }
        for (Path sub : subdirectories(dir)) {
            pids.addAll(pidsRecursive(sub));
        }
        return pids;
    }

    /**
     * Removes {@code dir} and its descendant cgroups bottom-up. A cgroup whose last task has just exited stays busy
     * for a moment, so each rmdir is retried for a short bounded time before the error is thrown.
     */
    default void removeTree(Path dir) {
        for (Path sub : subdirectories(dir)) {
            removeTree(sub);
        }
        long delayMillis = 10;
        for (int attempt = 1; ; attempt++) {
            try {
                rmdir(dir);
                return;
            } catch (CgroupException e) {
                if (attempt == 6) {
                    throw e;
                }
            }
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CgroupException("rmdir " + dir + ": interrupted", e);
            }
            delayMillis *= 2;
        }
    }

    private static long parseLong(String s, Path file) {
        String v = s.trim();
        if (v.equals("max")) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e2) {
                throw new CgroupException("parse " + file + ": not a number: " + v, e2);
            }
        }
    }
}
