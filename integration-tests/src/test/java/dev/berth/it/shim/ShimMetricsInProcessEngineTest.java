package dev.berth.it.shim;

import dev.berth.api.runtime.runc.options.Options;
import java.util.Optional;

/** Stats, Update and OOM events with the shim's default engine: berth-runtime in-process (no runtime options). */
class ShimMetricsInProcessEngineTest extends ShimMetricsContract {
    @Override
    Optional<Options> runtimeOptions() {
        return Optional.empty();
    }
}
