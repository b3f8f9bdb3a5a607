package dev.berth.it.shim;

import dev.berth.api.runtime.runc.options.Options;
import java.util.Optional;

/** The shim's task service with Debian's runc selected by the runc option {@code BinaryName}. */
class ShimRuncBinaryTest extends ShimTaskServiceContract {
    @Override
    Optional<Options> runtimeOptions() {
        return Optional.of(Options.newBuilder().setBinaryName("/usr/sbin/runc").build());
    }
}
