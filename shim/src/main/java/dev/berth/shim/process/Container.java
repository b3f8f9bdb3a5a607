package dev.berth.shim.process;

import dev.berth.api.events.TaskCreate;
import dev.berth.api.events.TaskDelete;
import dev.berth.api.events.TaskExecAdded;
import dev.berth.api.events.TaskIO;
import dev.berth.api.types.Mount;
import dev.berth.log.Log;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.CreateRequest;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.engine.Stats;
import dev.berth.shim.io.ProcessIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One task of the shim: the container's rootfs mounts, its init process and its exec'd processes. */
public final class Container {
    private static final Log LOG = Log.of(Container.class);
    /**
     * Left in the bundle once the task is deleted (the runtime's state removed, the rootfs unmounted): the shim's
     * {@code delete} verb, which containerd runs after every shim that exits, then has nothing to clean up and
     * answers without a JVM ({@code src/main/c/berth-shim-start.c}). Removed again by a Create in the bundle.
     */
    static final String DELETED_MARKER = "berth-deleted";

    private final String id;
    private final Path bundle;
    private final RuntimeEngine engine;
    private final Syscalls sys;
    private final Reaper reaper;
    private final EventSink events;
    private final RootfsMount rootfs;
    private final String namespace;
    private final InitProcess init;
    private final Map<String, ExecProcess> execs = new ConcurrentHashMap<>();

    /** What Create asks for. */
    public record CreateSpec(String id, Path bundle, List<RootfsMount.Spec> rootfs, ShimProcess.ProcessStdio stdio,
                             String namespace) {}

    /** What Delete reports: the process's pid and exit. */
    public record Deleted(int pid, Reaper.Exit exit) {}

    private Container(CreateSpec spec, RuntimeEngine engine, Syscalls sys, Reaper reaper, EventSink events,
                      RootfsMount rootfs) {
        this.id = spec.id();
        this.bundle = spec.bundle();
        this.engine = engine;
        this.sys = sys;
        this.reaper = reaper;
        this.events = events;
        this.rootfs = rootfs;
        this.namespace = spec.namespace();
        this.init = new InitProcess(id, spec.stdio(), events, engine);
    }

    /**
     * Mounts the rootfs, creates the container through the engine with the client's stdio and publishes
     * {@code /tasks/create}; on failure nothing stays mounted.
     */
    static Container create(CreateSpec spec, RuntimeEngine engine, Syscalls sys, Reaper reaper, EventSink events) {
        String what = "create " + spec.id();
        ShimProcess.ProcessStdio s = spec.stdio();
        try {
            Files.deleteIfExists(spec.bundle().resolve(DELETED_MARKER));
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, what + ": bundle " + spec.bundle() + ": "
                    + e.getMessage(), e);
        }
        RootfsMount rootfs;
        try {
            rootfs = RootfsMount.mount(sys, spec.bundle().resolve("rootfs"), spec.rootfs());
        } catch (SyscallException e) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, what + ": mount rootfs: " + e.getMessage(),
                    e);
        }
        ProcessIo io;
        try {
            io = IoSetup.open(sys, s, spec.namespace(), spec.id(), what);
        } catch (EngineException e) {
            rootfs.unmount();
            throw e;
        }
        try (Reaper.Window window = reaper.open()) {
            Container c = new Container(spec, engine, sys, reaper, events, rootfs);
            CreateRequest request = CreateRequest.of(io.stdio()).withConsoleSocket(io.consoleSocket().orElse(null));
            int pid = engine.create(spec.id(), spec.bundle(), request);
            c.init.created(pid, window.claim(pid));
            try {
                IoSetup.handOff(io, what);
            } catch (EngineException e) {
                engine.delete(spec.id(), true);
                throw e;
            }
            c.init.attachIo(io);
            events.publish(EventSink.TASK_CREATE, TaskCreate.newBuilder().setContainerId(spec.id())
                    .setBundle(spec.bundle().toString()).addAllRootfs(spec.rootfs().stream().map(Container::toProto)
                            .toList())
                    .setIo(TaskIO.newBuilder().setStdin(s.stdin()).setStdout(s.stdout()).setStderr(s.stderr())
                            .setTerminal(s.terminal()))
                    .setPid(pid).build());
            return c;
        } catch (RuntimeException e) {
            io.close();
            rootfs.unmount();
            throw e;
        }
    }

    private static Mount toProto(RootfsMount.Spec spec) {
        return Mount.newBuilder().setType(spec.type()).setSource(spec.source()).addAllOptions(spec.options()).build();
    }

    public String id() {
        return id;
    }

    public Path bundle() {
        return bundle;
    }

    public InitProcess init() {
        return init;
    }

    /** The init for an empty exec id, else the exec'd process; NOT_FOUND naming both ids if there is none. */
    public ShimProcess process(String execId) {
        if (execId.isEmpty()) {
            return init;
        }
        ExecProcess exec = execs.get(execId);
        if (exec == null) {
            throw new EngineException(EngineException.Kind.NOT_FOUND, "process " + id + "/" + execId + ": not found");
        }
        return exec;
    }

    /** Registers an exec'd process (started later by Start) and publishes {@code /tasks/exec-added}. */
    public ExecProcess addExec(String execId, ShimProcess.ProcessStdio stdio, String processJson) {
        ProcessStatus status = init.status();
        if (status != ProcessStatus.RUNNING && status != ProcessStatus.PAUSED) {
            throw status.illegal("exec " + execId + " in", id);
        }
        ExecProcess exec = new ExecProcess(id, execId, stdio, events, engine, sys, reaper, processJson, namespace);
        if (execs.putIfAbsent(execId, exec) != null) {
            throw new EngineException(EngineException.Kind.ALREADY_EXISTS,
                    "exec " + id + "/" + execId + ": id already in use");
        }
        events.publish(EventSink.TASK_EXEC_ADDED, TaskExecAdded.newBuilder().setContainerId(id).setExecId(execId)
                .build());
        return exec;
    }

    /** The ids of the exec'd processes not yet deleted. */
    public java.util.Set<String> execIds() {
        return java.util.Set.copyOf(execs.keySet());
    }

    public List<Integer> pids() {
        return engine.ps(id);
    }

    public void update(String resourcesJson) {
        engine.update(id, resourcesJson);
    }

    /** The runtime's usage report for the container's cgroup. */
    public Stats stats() {
        return engine.stats(id);
    }

    /**
     * Deletes an exec'd process, or for an empty exec id the container: removes it from the runtime (forcibly if
     * it never started), unmounts the rootfs and publishes {@code /tasks/delete}.
     */
    public Deleted delete(String execId) {
        if (!execId.isEmpty()) {
            ShimProcess exec = process(execId);
            Reaper.Exit exit = exec.markDeleted();
            execs.remove(execId);
            exec.closeIo();
            return new Deleted(exec.pid(), exit);
        }
        ProcessStatus status = init.status();
        if (!status.canDelete()) {
            throw status.illegal("delete", id);
        }
        try {
            engine.delete(id, status == ProcessStatus.CREATED);
        } catch (EngineException e) {
            if (e.kind() != EngineException.Kind.NOT_FOUND) {
                throw e;
            }
        }
        Reaper.Exit exit = init.markDeleted();
        init.closeIo();
        for (ExecProcess exec : execs.values()) {
            exec.closeIo();
        }
        rootfs.unmount();
        try {
            Files.writeString(bundle.resolve(DELETED_MARKER), "");
        } catch (IOException e) {
            // the delete verb then does the whole cleanup, finding nothing left
            LOG.warn("mark deleted", e, "id", id, "bundle", bundle);
        }
        events.publish(EventSink.TASK_DELETE, TaskDelete.newBuilder().setContainerId(id).setPid(init.pid())
                .setExitStatus(exit.status()).setExitedAt(Timestamps.of(exit.exitedAt())).build());
        return new Deleted(init.pid(), exit);
    }
}
