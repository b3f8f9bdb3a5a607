package dev.berth.manager.task;

import com.google.protobuf.Any;
import java.nio.file.Path;
import java.util.Optional;

/** The contract with berth-shim as {@code io.containerd.runc.v2}, running berth-runtime in-process. */
class BerthShimTasksTest extends ShimTasksContract {
    @Override
    ShimBinaries binaries(Path tmp) {
        return TaskSandbox.berthShim();
    }

    @Override
    Optional<Any> options() {
        return Optional.empty();
    }

    @Override
    boolean takesOverAfterShimDeath() {
        return true;
    }
}
