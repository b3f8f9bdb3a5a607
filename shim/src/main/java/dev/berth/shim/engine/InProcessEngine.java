package dev.berth.shim.engine;

import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.container.ConsoleSocket;
import dev.berth.runtime.container.Container;
import dev.berth.runtime.container.ContainerException;
import dev.berth.runtime.container.CreateOptions;
import dev.berth.runtime.container.ExecOptions;
import dev.berth.runtime.container.OciRuntime;
import dev.berth.runtime.process.InitException;
import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonException;
import dev.berth.runtime.spec.JsonObject;
import dev.berth.runtime.spec.LinuxResources;
import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;
import dev.berth.sys.FdSyscalls;
import dev.berth.sys.SyscallException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * A {@link RuntimeEngine} over Berth's runtime as a library ({@link OciRuntime}): no JVM start per verb. Build the
 * runtime with syscalls that wait through the shim's reaper, since berth-init and hooks are its children.
 */
public final class InProcessEngine implements RuntimeEngine {
    private final OciRuntime runtime;
    private final FdSyscalls sys;

    public InProcessEngine(OciRuntime runtime, FdSyscalls sys) {
        this.runtime = runtime;
        this.sys = sys;
    }

    @Override
    public int create(String id, Path bundle, CreateRequest request) {
        return call("create", id, () -> {
            try (OpenedStdio io = OpenedStdio.open(sys, request.stdio(), "create", id)) {
                CreateOptions options = new CreateOptions(console(request.consoleSocket()), request.pidFile(),
                        request.noPivot(), request.noNewKeyring(), 0, io.fds());
                return runtime.create(id, bundle, options).pid();
            }
        });
    }

    @Override
    public void start(String id) {
        run("start", id, c -> c.start());
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        run("kill", id, c -> c.kill(signal, all));
    }

    @Override
    public void delete(String id, boolean force) {
        run("delete", id, c -> c.delete(force));
    }

    @Override
    public RuntimeState state(String id) {
        return call("state", id, () -> RuntimeState.from(
                new JsonObject(runtime.load("state", id).ociState(), ""), "state " + id));
    }

    @Override
    public int exec(String id, String processJson, ExecRequest request) {
        return call("exec", id, () -> {
            Container c = runtime.load("exec", id);
            Spec.Process process = Spec.Process.fromJson(JsonObject.parse(processJson));
            try (OpenedStdio io = OpenedStdio.open(sys, request.stdio(), "exec", id)) {
                return c.exec(process, new ExecOptions(console(request.consoleSocket()), request.pidFile(), 0,
                        io.fds()));
            }
        });
    }

    @Override
    public void pause(String id) {
        run("pause", id, Container::pause);
    }

    @Override
    public void resume(String id) {
        run("resume", id, Container::resume);
    }

    @Override
    public List<Integer> ps(String id) {
        return call("ps", id, () -> runtime.load("ps", id).pids());
    }

    @Override
    public void update(String id, String resourcesJson) {
        call("update", id, () -> {
            LinuxResources resources = LinuxResources.fromJson(JsonObject.parse(resourcesJson));
            runtime.load("update", id).update(resources);
            return null;
        });
    }

    @Override
    public Stats stats(String id) {
        return call("stats", id, () -> new Stats(Json.write(runtime.load("stats", id).stats().toJson())));
    }

    private static ConsoleSocket console(Path socket) {
        return socket == null ? null : new ConsoleSocket.AtPath(socket.toAbsolutePath());
    }

    private interface Verb {
        void apply(Container c);
    }

    private void run(String op, String id, Verb verb) {
        call(op, id, () -> {
            verb.apply(runtime.load(op, id));
            return null;
        });
    }

    /** Runs one library call and maps what it throws to the engine's kinds. */
    private static <T> T call(String op, String id, Supplier<T> body) {
        try {
            return body.get();
        } catch (ContainerException e) {
            throw new EngineException(kind(e.kind()), EngineException.message(op, id, e.getMessage()), e);
        } catch (SpecException | JsonException e) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT,
                    EngineException.message(op, id, e.getMessage()), e);
        } catch (SyscallException | CgroupException | InitException | UncheckedIOException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, EngineException.message(op, id, e.getMessage()),
                    e);
        }
    }

    private static EngineException.Kind kind(ContainerException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> EngineException.Kind.NOT_FOUND;
            case ALREADY_EXISTS -> EngineException.Kind.ALREADY_EXISTS;
            case INVALID_ARGUMENT -> EngineException.Kind.INVALID_ARGUMENT;
            case FAILED_PRECONDITION -> EngineException.Kind.FAILED_PRECONDITION;
            case INTERNAL -> EngineException.Kind.INTERNAL;
        };
    }
}
