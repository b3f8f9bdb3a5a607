package dev.berth.manager.task.shim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What berthd tells every shim it launches.
 *
 * @param grpcAddress berthd's gRPC socket ({@code -address}); berth-shim puts its own socket in {@code s/} beside it
 * @param ttrpcAddress the socket of {@link EventsForwardServer} ({@code TTRPC_ADDRESS})
 * @param publishBinary berthd's executable ({@code -publish-binary}), which old shims ran to publish events
 * @param debug whether to pass {@code -debug}
 * @param timeout how long {@code start} or {@code delete} may run before it is killed
 */
public record ShimLauncherConfig(Path grpcAddress, Path ttrpcAddress, Path publishBinary, boolean debug,
                                 Duration timeout) {
    public ShimLauncherConfig {
        Objects.requireNonNull(grpcAddress, "grpcAddress");
        Objects.requireNonNull(ttrpcAddress, "ttrpcAddress");
        Objects.requireNonNull(publishBinary, "publishBinary");
        Objects.requireNonNull(timeout, "timeout");
    }
}
