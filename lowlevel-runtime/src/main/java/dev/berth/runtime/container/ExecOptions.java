package dev.berth.runtime.container;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to start an extra process in a container.
 *
 * @param stdio process fd (0, 1, 2) → this process's fd; empty to inherit this process's stdio
 */
public record ExecOptions(ConsoleSocket consoleSocket, Path pidFile, int preserveFds, Map<Integer, Integer> stdio) {
    public static ExecOptions defaults() {
        return new ExecOptions(null, null, 0, Map.of());
    }
}
