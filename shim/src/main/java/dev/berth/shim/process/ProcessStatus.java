package dev.berth.shim.process;

import dev.berth.shim.engine.EngineException;

/**
 * The lifecycle of a shim process (containerd's {@code process/init_state.go}): created → running ⇄ paused →
 * stopped → deleted; a created process may also stop (killed before start) or be deleted. Exec'd processes use
 * the same states without pause.
 */
public enum ProcessStatus {
    CREATED {
        @Override boolean canStart() { return true; }
        @Override boolean canDelete() { return true; }
        @Override boolean canKill() { return true; }
    },
    RUNNING {
        @Override boolean canPause() { return true; }
        @Override boolean canKill() { return true; }
    },
    PAUSED {
        @Override boolean canResume() { return true; }
        @Override boolean canKill() { return true; }
    },
    STOPPED {
        @Override boolean canDelete() { return true; }
    },
    DELETED;

    boolean canStart() { return false; }
    boolean canPause() { return false; }
    boolean canResume() { return false; }
    boolean canKill() { return false; }
    boolean canDelete() { return false; }

    /** FAILED_PRECONDITION naming the operation, the process and its status. */
    EngineException illegal(String op, String process) {
        return new EngineException(EngineException.Kind.FAILED_PRECONDITION,
                op + " " + process + ": process is " + name().toLowerCase(java.util.Locale.ROOT));
    }
}
