package dev.berth.shim.engine;

import java.nio.file.Path;

/**
 * How to start an extra process in a container. The process is always detached from the runtime (containerd's
 * shim passes {@code --detach}): it becomes a child of the shim, which waits for it with its reaper.
 *
 * @param consoleSocket where the pty master goes when the process has {@code terminal} set; null for none
 * @param pidFile where the runtime also writes the process's pid; null for none
 */
public record ExecRequest(ProcessStdio stdio, Path consoleSocket, Path pidFile) {
    public static ExecRequest of(ProcessStdio stdio) {
        return new ExecRequest(stdio, null, null);
    }

    public ExecRequest withConsoleSocket(Path socket) {
        return new ExecRequest(stdio, socket, pidFile);
    }

    public ExecRequest withPidFile(Path file) {
        return new ExecRequest(stdio, consoleSocket, file);
    }
}
