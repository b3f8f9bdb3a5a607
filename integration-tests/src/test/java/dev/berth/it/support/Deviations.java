package dev.berth.it.support;

import java.nio.file.Path;

/**
 * Where the reference runtime (Debian's runc 1.1.5) knowingly differs from what berth-runtime promises, so one suite
 * passes against both. Each deviation is asked for by name, at the one place a test depends on it.
 */
public final class Deviations {
    private Deviations() {}

    /** The reference runtime the suite proves itself against. */
    public static final Path RUNC = Path.of("/usr/sbin/runc");

    /** True when the runtime under test is runc itself (by file name, as containerd and go-runc also call it). */
    public static boolean isRunc(Path runtime) {
        return runtime.getFileName().toString().equals("runc");
    }
}
