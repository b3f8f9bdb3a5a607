package dev.berth.runtime.container;

import dev.berth.runtime.spec.Spec;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the hooks that execute in the runtime's namespaces, each with the container's state on its stdin and its
 * output on the runtime's stderr. Hooks are spawned directly (not through {@code ProcessBuilder}) because the
 * spec's {@code args[0]} is what the hook sees as its name, independently of {@code path}.
 */
final class HookRunner {
    private static final int SIGKILL = 9;

    private HookRunner() {}

    /** Runs hooks in order; the first failure stops the rest and is thrown, naming the phase and the hook. */
    static void run(Syscalls sys, String phase, List<Spec.Hook> hooks, String stateJson) {
        for (Spec.Hook hook : hooks) {
            runOne(sys, phase, hook, stateJson);
        }
    }

    /**
     * Runs every hook even if some fail, as the spec requires for poststart and poststop ("log a warning, the
     * remaining hooks and lifecycle continue"); each failure goes to {@code warn}.
     */
    static void runAll(Syscalls sys, String phase, List<Spec.Hook> hooks, String stateJson, Consumer<String> warn) {
        for (Spec.Hook hook : hooks) {
            try {
                runOne(sys, phase, hook, stateJson);
            } catch (ContainerException e) {
                warn.accept(e.getMessage());
            }
        }
    }

    private static void runOne(Syscalls sys, String phase, Spec.Hook hook, String stateJson) {
        String what = phase + " hook " + hook.path();
        List<String> argv = hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
        int[] pair = sys.socketpair();
        int pid;
        try {
            pid = sys.spawn(hook.path(), argv, hook.env(), Map.of(0, pair[1], 1, 2, 2, 2));
        } catch (SyscallException e) {
            sys.close(pair[0]);
            throw new ContainerException(ContainerException.Kind.INTERNAL, what + ": " + e.getMessage(), e);
        } finally {
            sys.close(pair[1]);
        }
        try {
            sys.writeFully(pair[0], stateJson.getBytes(StandardCharsets.UTF_8));
        } catch (SyscallException e) {
            // the hook need not read its stdin
        } finally {
            sys.close(pair[0]);
        }
        Syscalls.ExitStatus status = await(sys, pid, hook.timeout(), what);
        if (status.signal() != 0) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, what + ": killed by signal " + status.signal());
        }
        if (status.exitCode() != 0) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, what + ": exit status " + status.exitCode());
        }
    }

    private static Syscalls.ExitStatus await(Syscalls sys, int pid, Long timeoutSeconds, String what) {
        if (timeoutSeconds == null) {
            return sys.waitpid(pid, false).orElseThrow();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long pause = 1;
        while (true) {
            Optional<Syscalls.ExitStatus> status = sys.waitpid(pid, true);
            if (status.isPresent()) {
                return status.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                sys.kill(pid, SIGKILL);
                sys.waitpid(pid, false);
                throw new ContainerException(ContainerException.Kind.INTERNAL,
                        what + ": timed out after " + timeoutSeconds + "s");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sys.kill(pid, SIGKILL);
                throw new ContainerException(ContainerException.Kind.INTERNAL, what + ": interrupted");
            }
            pause = Math.min(pause * 2, 20);
        }
    }
}
