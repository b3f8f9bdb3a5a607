package dev.berth.it.shim;

import dev.berth.api.runtime.runc.options.Options;
import java.util.Optional;

/** The shim's task service with its default engine: berth-runtime in-process (no runtime options). */
class ShimInProcessEngineTest extends ShimTaskServiceContract {
    @Override
    Optional<Options> runtimeOptions() {
        return Optional.empty();
    }
}
