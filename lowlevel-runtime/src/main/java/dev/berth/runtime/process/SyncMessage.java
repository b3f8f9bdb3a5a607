package dev.berth.runtime.process;

import dev.berth.sys.Errno;

/** A message from berth-init on the sync socket (docs/init-protocol.md, "Transport"). */
sealed interface SyncMessage {
    int PLAN = 1;
    int PID = 2;
    int HOOKS = 3;
    int HOOKS_DONE = 4;
    int READY = 5;
    int ERROR = 6;

    /** P has cloned the container process; its pid as seen from the host. */
    record Pid(int pid) implements SyncMessage {}

    /** The mounts are done; the runtime's hooks run now, before pivot_root. */
    record Hooks() implements SyncMessage {}

    /** The container process is set up. */
    record Ready() implements SyncMessage {}

    /** A step failed. */
    record Error(int errno, String text) implements SyncMessage {
        /** The failure as the runtime reports it: {@code <step text>: <strerror in Go's wording>}. */
        InitException toException() {
            return new InitException(errno == 0 ? text : text + ": " + Errno.message(errno), errno);
        }
    }

    /** The socket closed: every berth-init process has exec'd or exited. */
    record Eof() implements SyncMessage {}
}
