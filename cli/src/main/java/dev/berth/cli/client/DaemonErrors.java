package dev.berth.cli.client;

import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.errdefs.GrpcErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/** Turns a failed call into the CLI's one-line message and exit code. */
public final class DaemonErrors {
    private DaemonErrors() {
    }

    /** The daemon's answer to a call, or why the CLI could not reach it. */
    public static CliException describe(StatusRuntimeException e, String address) {
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE && isConnectFailure(e)) {
            return new CliException(CliException.DAEMON, "Cannot connect to the berth daemon at unix://" + address
                    + ". Is berthd running?", e);
        }
        String message = e.getStatus().getDescription() == null ? e.getStatus().getCode().toString()
                : e.getStatus().getDescription();
        return new CliException(CliException.DAEMON, "Error response from daemon: " + message, e);
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

    private static boolean isConnectFailure(StatusRuntimeException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        String d = e.getStatus().getDescription();
        return d != null && (d.contains("io exception") || d.contains("connect"));
    }
}
