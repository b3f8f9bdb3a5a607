package dev.berth.manager.fs;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.io.IOException;

/**
 * A write that failed for lack of space (ENOSPC, or EDQUOT for a quota), which java.nio tells only by the
 * message {@code strerror} gave it, turned into an error that says so: RESOURCE_EXHAUSTED,
 * {@code <operation>: no space left on device}.
 */
public final class DiskFull {

    private static final String NO_SPACE = "No space left on device";
    private static final String QUOTA = "Disk quota exceeded";

    private DiskFull() {
    }

    /** Whether {@code e}, or an exception it was caused by, reports ENOSPC or EDQUOT. */
    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains(NO_SPACE) || m.contains(QUOTA))) {
                return true;
            }
        }
        return false;
    }

    /** The error of {@code operation} that failed with {@code cause} for lack of space. */
    public static BerthException error(String operation, Throwable cause) {
        return new BerthException(ErrorKind.RESOURCE_EXHAUSTED, operation + ": no space left on device", cause);
    }
}
