package dev.berth.manager.network;

import dev.berth.model.NetworkSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A container's networking once set up: the netns to put into the OCI spec (empty for {@code host}, where the
 * spec leaves the network namespace out) and docker's {@code NetworkSettings} for inspect.
 */
public record Sandbox(Optional<Path> netns, NetworkSettings settings) {
}
