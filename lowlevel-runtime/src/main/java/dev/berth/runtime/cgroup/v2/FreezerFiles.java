package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.FreezerState;
import java.nio.file.Path;

/**
 * The v2 freezer: a request is written to {@code cgroup.freeze}, and the kernel reports completion as
 * {@code frozen 0|1} in {@code cgroup.events}, which is polled until it matches.
 */
final class FreezerFiles {
    private static final long TIMEOUT_NANOS = 5_000_000_000L;

    private final CgroupFs fs;

    FreezerFiles(CgroupFs fs) {
        this.fs = fs;
    }

    void freeze(Path dir) {
        fs.write(dir.resolve("cgroup.freeze"), "1");
        if (!awaitFrozen(dir, 1)) {
            fs.write(dir.resolve("cgroup.freeze"), "0");
            throw new CgroupException("freeze " + dir.resolve("cgroup.events") + ": not frozen after 5s, thawed again");
        }
    }

    void thaw(Path dir) {
        fs.write(dir.resolve("cgroup.freeze"), "0");
        if (!awaitFrozen(dir, 0)) {
            throw new CgroupException("thaw " + dir.resolve("cgroup.events") + ": still frozen after 5s");
        }
    }

    /** THAWED when no freeze was requested (or the kernel has no freezer); FROZEN once a requested freeze is done. */
    FreezerState state(Path dir) {
        Path request = dir.resolve("cgroup.freeze");
        if (!fs.exists(request) || fs.read(request).equals("0")) {
            return FreezerState.THAWED;
        }
        if (!awaitFrozen(dir, 1)) {
            throw new CgroupException("read " + dir.resolve("cgroup.events") + ": still freezing after 5s");
        }
        return FreezerState.FROZEN;
    }

    private boolean awaitFrozen(Path dir, long wanted) {
        Path events = dir.resolve("cgroup.events");
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (fs.readKeyed(events).getOrDefault("frozen", 0L) != wanted) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CgroupException("wait " + events + ": interrupted", e);
            }
        }
        return true;
    }
}
