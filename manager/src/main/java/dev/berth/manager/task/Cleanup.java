package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import dev.berth.manager.task.shim.ShimCall;
import java.io.IOException;

/** Runs clean-up steps whose failure must not hide the error being handled: it is logged, not thrown. */
final class Cleanup {
    private static final Log LOG = Log.of(Cleanup.class);

    /** One clean-up step. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    private Cleanup() {}

    /**
     * Runs {@code step}, a clean-up step of the task {@code call} names; a failure is logged: expected kinds at
     * debug, anything else (a bug) at warn.
     */
    static void ignoring(String operation, ShimCall call, Step step) {
        try {
            step.run();
        } catch (IOException | BerthException e) {
            LOG.debug("clean-up step failed", e, "operation", operation, "namespace", call.namespace(), "id",
                    call.id());
        } catch (RuntimeException e) {
            LOG.warn("clean-up step failed", e, "operation", operation, "namespace", call.namespace(), "id",
                    call.id(), "exception", e.getClass().getName());
        }
    }
}
