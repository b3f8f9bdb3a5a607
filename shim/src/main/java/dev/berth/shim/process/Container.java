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
import dev.berth.shim.io.FifoWatch;
import dev.berth.shim.io.ProcessIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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
    private final Monitor monitor;
    private final EventSink events;
    private final RootfsMount rootfs;
    private final String namespace;
    private final InitProcess init;
    private final Map<String, ExecProcess> execs = new ConcurrentHashMap<>();
    private volatile boolean deleted;

    /** What Create asks for. */
    public record CreateSpec(String id, Path bundle, List<RootfsMount.Spec> rootfs, ShimProcess.ProcessStdio stdio,
                             String namespace) {}

    /** What Delete reports: the process's pid and exit. */
    public record Deleted(int pid, Reaper.Exit exit) {}

    private Container(CreateSpec spec, RuntimeEngine engine, Syscalls sys, Monitor monitor, EventSink events,
                      RootfsMount rootfs) {
        this.id = spec.id();
        this.bundle = spec.bundle();
        this.engine = engine;
        this.sys = sys;
        this.monitor = monitor;
        this.events = events;
        this.rootfs = rootfs;
        this.namespace = spec.namespace();
        this.init = new InitProcess(id, spec.stdio(), events, engine);
    }

    /**
     * Mounts the rootfs, starts the container's monitor, creates the container through the engine (its processes
     * spawned by the monitor) with the client's stdio and publishes {@code /tasks/create}; on failure nothing stays
     * mounted and the monitor exits. The monitor starts on a thread of its own while the rootfs is mounted and the
     * stdio opened: its spawn and hello take as long as both (3-5 ms alone, up to 40 ms with 50 creates at once).
     */
    static Container create(CreateSpec spec, Function<Monitor, RuntimeEngine> engines, Syscalls sys,
                            FifoWatch stdinFifos, Monitors monitors, EventSink events) {
        String what = "create " + spec.id();
        ShimProcess.ProcessStdio s = spec.stdio();
        try {
            Files.deleteIfExists(spec.bundle().resolve(DELETED_MARKER));
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, what + ": bundle " + spec.bundle() + ": "
                    + e.getMessage(), e);
        }
        CompletableFuture<Monitor> starting = new CompletableFuture<>();
        Thread.ofPlatform().name("monitor-start-" + spec.id()).start(() -> {
            try {
                starting.complete(monitors.start(spec.id(), spec.bundle()));
            } catch (RuntimeException e) {
                starting.completeExceptionally(e);
            }
        });
        RootfsMount rootfs;
        try {
            rootfs = RootfsMount.mount(sys, spec.bundle().resolve("rootfs"), spec.rootfs());
        } catch (SyscallException e) {
            stopWhenStarted(starting);
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, what + ": mount rootfs: " + e.getMessage(),
                    e);
        }
        ProcessIo io;
        Monitor monitor;
        try {
            TaskFile.of(spec).save(spec.bundle());
            io = IoSetup.open(sys, stdinFifos, s, spec.namespace(), spec.id(), what);
        } catch (EngineException e) {
            stopWhenStarted(starting);
            rootfs.unmount();
            throw e;
        }
        try {
            monitor = started(starting);
        } catch (SyscallException | EngineException e) {
            io.close();
            rootfs.unmount();
            throw e instanceof EngineException ee ? ee : new EngineException(EngineException.Kind.INTERNAL,
                    what + ": start monitor: " + e.getMessage(), e);
        }
        try {
            RuntimeEngine engine = engines.apply(monitor);
            Container c = new Container(spec, engine, sys, monitor, events, rootfs);
            CreateRequest request = CreateRequest.of(io.stdio()).withConsoleSocket(io.consoleSocket().orElse(null));
            int pid = engine.create(spec.id(), spec.bundle(), request);
            c.init.created(pid, monitor.claim(pid));
            monitor.init(pid);
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
            c.watchMonitor();
            return c;
        } catch (RuntimeException e) {
            monitor.bye();
            io.close();
            rootfs.unmount();
            throw e;
        }
    }

    /** The monitor {@code starting} started; what it threw if it failed. */
    private static Monitor started(CompletableFuture<Monitor> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Lets a monitor go once it has started, for a create that failed before it used it. */
    private static void stopWhenStarted(CompletableFuture<Monitor> starting) {
        starting.thenAccept(Monitor::bye);
    }

    /**
     * The container of a monitor that an earlier server of this group started: its task as the bundle describes
     * it ({@link TaskFile}, {@link EngineChoice}), its init's status from the runtime, its exit (if it exited
     * while no server ran) from the monitor, which reports every exit again to a new server; the same for every
     * exec'd process the earlier server started ({@link ExecFile}), also the monitor's child.
     */
    static Container adopt(Monitor monitor, String namespace, Function<Monitor, RuntimeEngine> engines,
                           Syscalls sys, EventSink events) throws IOException {
        Monitor.Hello hello = monitor.hello();
        Path bundle = Path.of(hello.bundle());
        TaskFile task = TaskFile.load(bundle);
        RuntimeEngine engine = engines.apply(monitor);
        CreateSpec spec = new CreateSpec(hello.id(), bundle, List.of(), task.stdio(), namespace);
        Container c = new Container(spec, engine, sys, monitor, events,
                RootfsMount.adopt(sys, bundle.resolve("rootfs"), task.rootfsMounts()));
        ProcessStatus status = ProcessStatus.RUNNING;
        try {
            status = switch (engine.state(hello.id()).status()) {
                case CREATING, CREATED -> ProcessStatus.CREATED;
                case PAUSING, PAUSED -> ProcessStatus.PAUSED;
                case RUNNING, STOPPED -> ProcessStatus.RUNNING; // a stopped one's exit comes from the monitor
            };
        } catch (EngineException e) {
            LOG.warn("state of adopted container", e, "id", hello.id());
        }
        c.init.adopt(hello.initPid(), status, monitor.claim(hello.initPid()));
        for (ExecFile exec : ExecFile.loadAll(bundle)) {
            c.execs.put(exec.execId(), ExecProcess.adopt(c.id, exec, events, engine, sys, monitor, namespace,
                    bundle));
            LOG.info("adopted exec", "id", c.id, "exec", exec.execId(), "pid", exec.pid());
        }
        c.watchMonitor();
        return c;
    }

    /**
     * A monitor that dies before its container is deleted takes the container down: nobody is left to reap its
     * processes and keep their exits, so the server kills them all and reports their exits as SIGKILL (137), as
     * containerd reports the tasks of a shim that died.
     */
    private void watchMonitor() {
        monitor.lost().thenRunAsync(() -> {
            if (deleted) {
                return;
            }
            LOG.warn("monitor died: killing its container", "id", id);
            try {
                engine.kill(id, 9, true);
            } catch (EngineException e) {
                LOG.warn("kill container of a dead monitor", e, "id", id);
            } finally {
                monitor.abandon(java.time.Instant.now());
            }
        }).exceptionally(e -> {
            LOG.warn("kill container of a dead monitor", e, "id", id);
            return null;
        });
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
        ExecProcess exec = new ExecProcess(id, execId, stdio, events, engine, sys, monitor, processJson, namespace,
                bundle);
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
            ExecFile.remove(bundle, execId);
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
        deleted = true;
        monitor.bye();
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
