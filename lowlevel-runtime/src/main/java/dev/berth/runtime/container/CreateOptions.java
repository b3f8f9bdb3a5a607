package dev.berth.runtime.container;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to create a container.
 *
 * @param consoleSocket where the pty master goes when {@code process.terminal} is set
 * @param preserveFds how many fds after stdio (3, 4, …) the container inherits
 * @param stdio container fd (0, 1, 2) → this process's fd; empty to inherit this process's stdio
 */
public record CreateOptions(ConsoleSocket consoleSocket, Path pidFile, boolean noPivot, boolean noNewKeyring, int preserveFds,
                            Map<Integer, Integer> stdio) {
    public static CreateOptions defaults() {
        return new CreateOptions(null, null, false, false, 0, Map.of());
    }
}
