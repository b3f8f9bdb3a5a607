package dev.berth.cli.client;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.client.DaemonException;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/** Turns a failed call into the CLI's one-line message and exit code, in docker's words. */
public final class DaemonErrors {
    private DaemonErrors() {
    }

    /** The daemon's answer to a typed call, or why the CLI could not reach it (exit code 125). */
    public static CliException describe(DaemonException e, String address) {
        if (e.unreachable()) {
            return new CliException(CliException.DAEMON, "Cannot connect to the berth daemon at unix://" + address
                    + ". Is berthd running?", e);
        }
        return new CliException(CliException.DAEMON, "Error response from daemon: " + e.getMessage(), e);
    }

    /** The same for a call made through a raw stub (the image commands). */
    public static CliException describe(StatusRuntimeException e, String address) {
        return describe(DaemonException.from(e), address);
    }

    public static boolean isNotFound(StatusRuntimeException e) {
        return GrpcErrors.kindOf(e) == ErrorKind.NOT_FOUND;
    }

    public static boolean isAlreadyExists(StatusRuntimeException e) {
        return GrpcErrors.kindOf(e) == ErrorKind.ALREADY_EXISTS;
    }

    /**
     * The exit code docker gives when a container's command cannot run: the runtime reports the failed execve in
     * its message (berth-init: {@code exec … : no such file or directory}, runc: {@code executable file not found}).
     */
    public static int execFailureCode(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("no such file") || m.contains("not found in $path") || m.contains("executable file not found")) {
            return CliException.NOT_FOUND;
        }
        if (m.contains("permission denied") || m.contains("is a directory") || m.contains("exec format error")) {
            return CliException.CANNOT_INVOKE;
        }
        return CliException.DAEMON;
    }
}
