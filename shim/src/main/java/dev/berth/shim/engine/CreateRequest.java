package dev.berth.shim.engine;

import java.nio.file.Path;

/**
 * How to create a container, as containerd's shim passes it to {@code runc create}.
 *
 * @param stdio the init's standard streams (ignored for those a terminal replaces)
 * @param consoleSocket where the pty master goes when {@code process.terminal} is set; null for none
 * @param pidFile where the runtime also writes the init's pid; null for none
 */
public record CreateRequest(ProcessStdio stdio, Path consoleSocket, Path pidFile, boolean noPivot,
                            boolean noNewKeyring) {
    public static CreateRequest of(ProcessStdio stdio) {
        return new CreateRequest(stdio, null, null, false, false);
    }

    public CreateRequest withConsoleSocket(Path socket) {
        return new CreateRequest(stdio, socket, pidFile, noPivot, noNewKeyring);
    }

    public CreateRequest withPidFile(Path file) {
        return new CreateRequest(stdio, consoleSocket, file, noPivot, noNewKeyring);
    }
}
