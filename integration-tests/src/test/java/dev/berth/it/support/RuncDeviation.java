package dev.berth.it.support;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the reference runtime, Debian's runc 1.1.5, knowingly differs from what berth-runtime promises, so one suite
 * passes against both. A test names the deviation at the one place it depends on it; against runc the test is then
 * skipped (an aborted assumption, visible in the report), against any other runtime it runs.
 */
public enum RuncDeviation {
    /** runtime-spec 1.1 {@code domainname}: runc implements it from 1.2 on; 1.1.5 silently ignores the field. */
    DOMAINNAME_IGNORED("runc 1.1.5 ignores the spec's domainname (supported from runc 1.2)");

    /** The reference runtime the suite proves itself against. */
    public static final Path RUNC = Path.of("/usr/sbin/runc");

    private final String why;

    RuncDeviation(String why) {
        this.why = why;
    }

    /** Skips the calling test when the runtime under test is runc. */
    public void assumeNotApplicable() {
        Assumptions.assumeFalse(isRunc(ContainerTest.RUNTIME_BINARY), why);
    }

    /** True when the runtime is runc itself (by file name, the way containerd names its runtime binary). */
    public static boolean isRunc(Path runtime) {
        return runtime.getFileName().toString().equals("runc");
    }
}
