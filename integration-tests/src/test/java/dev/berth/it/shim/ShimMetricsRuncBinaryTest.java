package dev.berth.it.shim;

import dev.berth.api.runtime.runc.options.Options;
import java.util.Optional;

/** Stats, Update and OOM events with Debian's runc selected by the runc option {@code BinaryName}. */
class ShimMetricsRuncBinaryTest extends ShimMetricsContract {
    @Override
    Optional<Options> runtimeOptions() {
        return Optional.of(Options.newBuilder().setBinaryName("/usr/sbin/runc").build());
    }
}
