package dev.berth.runtime.cli;

import dev.berth.sys.ProcessSyscalls;
import dev.berth.sys.SyscallException;
import sun.misc.Signal;

/** Forwards the signals a terminal or supervisor sends to {@code run} and {@code exec} on to the container. */
final class SignalForwarder {
    // the JVM reserves QUIT (thread dumps) and USR2 (thread suspension) for itself
    private static final String[] FORWARDED = {"INT", "TERM", "HUP", "USR1", "WINCH"};

    private SignalForwarder() {}

    static void forwardTo(ProcessSyscalls sys, int pid) {
        for (String name : FORWARDED) {
            try {
                Signal.handle(new Signal(name), s -> {
                    try {
                        sys.kill(pid, s.getNumber());
                    } catch (SyscallException e) {
                        // the process is gone; waitpid reports how it ended
                    }
                });
            } catch (IllegalArgumentException e) {
                // this JVM does not let us handle it
            }
        }
    }
}
