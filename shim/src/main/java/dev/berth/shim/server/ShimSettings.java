package dev.berth.shim.server;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the shim's main reads from its launcher once and hands to the commands: berth-init's path
 * ({@code -Dberth.init}, set by bin/berth-shim) and the environment that runtime binaries run with (containerd's
 * environment, as go-runc passes its own).
 */
record ShimSettings(Path initBinary, Map<String, String> environment) {
    ShimSettings {
        environment = Map.copyOf(environment);
    }
}
