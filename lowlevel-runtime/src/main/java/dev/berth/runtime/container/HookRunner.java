package dev.berth.runtime.container;

import dev.berth.runtime.spec.Spec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the hooks that execute in the runtime's namespaces, each with the container's state on its stdin. */
final class HookRunner {
    private HookRunner() {}

    /** Runs hooks in order; the first failure stops the rest and is thrown, naming the phase and the hook. */
    static void run(String phase, List<Spec.Hook> hooks, String stateJson) {
        for (Spec.Hook hook : hooks) {
            runOne(phase, hook, stateJson);
        }
    }

    private static void runOne(String phase, Spec.Hook hook, String stateJson) {
        String what = phase + " hook " + hook.path();
        List<String> argv = hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
        ProcessBuilder pb = new ProcessBuilder(argv);
        // argv[0] of the spec is the name the hook sees; the binary run is always path
        pb.command().set(0, hook.path());
        pb.environment().clear();
        for (String kv : hook.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, what + ": " + e.getMessage(), e);
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(stateJson.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the hook need not read its stdin
        }
        try {
            boolean done = hook.timeout() == null ? p.waitFor() >= 0 : p.waitFor(hook.timeout(), TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor();
                throw new ContainerException(ContainerException.Kind.INTERNAL, what + ": timed out after "
                        + hook.timeout() + "s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ContainerException(ContainerException.Kind.INTERNAL, what + ": interrupted");
        }
        if (p.exitValue() != 0) {
            throw new ContainerException(ContainerException.Kind.INTERNAL, what + ": exit status " + p.exitValue());
        }
    }
}
