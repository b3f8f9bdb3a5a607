package dev.berth.shim.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What the shim's main reads from its launcher once and hands to the commands: the paths of berth-init and
 * berth-monitor ({@code -Dberth.init}, {@code -Dberth.monitor}, set by bin/berth-shim) and the environment that
 * runtime binaries run with (containerd's environment, as go-runc passes its own), which also selects the group
 * scope ({@link ShimGroup#MODE_VARIABLE}) and the server's idle period ({@value #IDLE_VARIABLE}, seconds;
 * {@link #DEFAULT_IDLE} without it).
 */
record ShimSettings(Path initBinary, Path monitorBinary, Map<String, String> environment) {
    static final String IDLE_VARIABLE = "BERTH_SHIM_IDLE_SECONDS";
    /** Long enough that back-to-back {@code run --rm}s find the server, short enough not to linger for long. */
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(30);

    ShimSettings {
        environment = Map.copyOf(environment);
    }

    /** How long a shim server stays without a task before it exits. */
    Duration idle() {
        String value = environment.get(IDLE_VARIABLE);
        if (value == null || value.isEmpty()) {
            return DEFAULT_IDLE;
        }
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + IDLE_VARIABLE + " \"" + value + "\": not a number", e);
        }
    }

    /** The same settings with {@code name=value} added to the environment. */
    ShimSettings with(String name, String value) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(name, value);
        return new ShimSettings(initBinary, monitorBinary, env);
    }
}
