package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.FreezerState;
import java.nio.file.Path;

/**
 * The v1 freezer: {@code freezer.state} is written FROZEN or THAWED and then passes through FREEZING, which can last
 * while tasks are in uninterruptible sleep; callers get the stable state only.
 */
final class FreezerController {
    private static final String STATE = "freezer.state";
    /** How long a freeze may stay FREEZING before it is undone and reported. */
    private static final long TIMEOUT_NANOS = 5_000_000_000L;

    private final CgroupFs fs;

    FreezerController(CgroupFs fs) {
        this.fs = fs;
    }

    void freeze(Path dir) {
        Path file = dir.resolve(STATE);
        fs.write(file, "FROZEN");
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (int i = 1; !fs.read(file).equals("FROZEN"); i++) {
            if (System.nanoTime() > deadline) {
                fs.write(file, "THAWED");
                throw new CgroupException("freeze " + file + ": still FREEZING after 5s, thawed again");
            }
            if (i % 50 == 0) {
                // runc's remedy for a freeze that races with forks: write the request again
                fs.write(file, "FROZEN");
            }
            pause(file);
        }
    }

    void thaw(Path dir) {
        Path file = dir.resolve(STATE);
        fs.write(file, "THAWED");
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!fs.read(file).equals("THAWED")) {
            if (System.nanoTime() > deadline) {
                throw new CgroupException("thaw " + file + ": not THAWED after 5s");
            }
            pause(file);
        }
    }

    /**
     * FROZEN only when this cgroup itself was frozen ({@code freezer.self_freezing}); frozen through an ancestor
     * counts as THAWED, as in runc.
     */
    FreezerState state(Path dir) {
        Path file = dir.resolve(STATE);
        while (true) {
            switch (fs.read(file)) {
                case "THAWED":
                    return FreezerState.THAWED;
                case "FROZEN":
                    Path self = dir.resolve("freezer.self_freezing");
                    return !fs.exists(self) || fs.read(self).equals("1") ? FreezerState.FROZEN : FreezerState.THAWED;
                case "FREEZING":
                    pause(file);
                    break;
                default:
                    throw new CgroupException("read " + file + ": unknown state " + fs.read(file));
            }
        }
    }

    private static void pause(Path file) {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("wait " + file + ": interrupted", e);
        }
    }
}
