package dev.berth.shim.process;

import dev.berth.api.events.TaskOOM;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.io.FifoWatch;
import dev.berth.shim.metrics.OomWatcher;
import dev.berth.log.Log;
import dev.berth.sys.ProcessSyscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The tasks one shim serves, by container id, and what they are built from (reaper, syscalls, events). */
public final class Containers {
    private static final Log LOG = Log.of(Containers.class);
    private final Syscalls sys;
    private final Monitors monitors;
    private final EventSink events;
    private final Map<String, Container> byId = new HashMap<>();
    private final Map<String, Boolean> creating = new HashMap<>();
    private final OomWatcher oom;
    /** Holds the stdin copiers of the containers' inits until their FIFOs have something to read. */
    private final FifoWatch stdinFifos;
    private boolean closed;

    /** Tasks whose OOM kills are published as {@code /tasks/oom}, as the host's memory cgroups notify them. */
    public Containers(Syscalls sys, Monitors monitors, EventSink events) {
        this.sys = sys;
        this.monitors = monitors;
        this.events = events;
        this.stdinFifos = new FifoWatch(sys);
        this.oom = OomWatcher.onHost(sys, id -> events.publish(EventSink.TASK_OOM,
                TaskOOM.newBuilder().setContainerId(id).build()));
    }

    /**
     * Creates a task; ALREADY_EXISTS if the id is taken.
     *
     * @param engines the task's runtime engine, given the process role its processes are spawned with (its monitor)
     */
    public Container create(Container.CreateSpec spec, Function<ProcessSyscalls, RuntimeEngine> engines) {
        synchronized (this) {
            if (closed) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE,
                        "create " + spec.id() + ": shim server is exiting");
            }
            if (byId.containsKey(spec.id()) || creating.putIfAbsent(spec.id(), true) != null) {
                throw new EngineException(EngineException.Kind.ALREADY_EXISTS,
                        "create " + spec.id() + ": task already exists");
            }
        }
        try {
            Container c = Container.create(spec, engines::apply, sys, stdinFifos, monitors, events);
            synchronized (this) {
                byId.put(spec.id(), c);
            }
            oom.watch(spec.id(), c.init().pid());
            return c;
        } finally {
            synchronized (this) {
                creating.remove(spec.id());
            }
        }
    }

    /**
     * Takes over the containers whose monitors an earlier server of this group left (it died): each becomes a task
     * of this server, and an exit that happened meanwhile is published now. Returns how many.
     *
     * @param engines the runtime engine of a task, by its bundle, given the process role of its monitor
     */
    public int adoptAll(String namespace, BiFunction<Path, ProcessSyscalls, RuntimeEngine> engines) {
        int n = 0;
        for (Monitor m : monitors.adoptAll()) {
            Monitor.Hello hello = m.hello();
            if (hello.initPid() == 0) {
                // the earlier server died during Create: the client was told nothing, the runtime may hold half
                LOG.warn("monitor of an unfinished create: dropping it", "id", hello.id());
                m.bye();
                continue;
            }
            try {
                Container c = Container.adopt(m, namespace, p -> engines.apply(Path.of(hello.bundle()), p), sys,
                        events);
                synchronized (this) {
                    byId.put(c.id(), c);
                }
                if (sys.processExists(c.init().pid())) { // not one that exited while no server ran
                    oom.watch(c.id(), c.init().pid());
                }
                n++;
                LOG.info("adopted container", "id", c.id(), "pid", c.init().pid(), "status", c.init().status());
            } catch (IOException | EngineException e) {
                LOG.warn("adopt container", e, "id", hello.id(), "bundle", hello.bundle());
                m.close();
            }
        }
        return n;
    }

    /** The task with this id; NOT_FOUND naming the operation otherwise. */
    public synchronized Container get(String op, String id) {
        Container c = byId.get(id);
        if (c == null) {
            throw new EngineException(EngineException.Kind.NOT_FOUND, op + " " + id + ": task not found");
        }
        return c;
    }

    /** The task with this id, if the shim serves it. */
    public synchronized java.util.Optional<Container> find(String id) {
        return java.util.Optional.ofNullable(byId.get(id));
    }

    /** Deletes a process (see {@link Container#delete}); deleting the init forgets the task. */
    public Container.Deleted delete(String id, String execId) {
        Container c = get("delete", id);
        if (execId.isEmpty()) {
            oom.checkNow(id);
        }
        Container.Deleted deleted = c.delete(execId);
        if (execId.isEmpty()) {
            oom.forget(id);
            synchronized (this) {
                byId.remove(id);
            }
        }
        return deleted;
    }

    public synchronized boolean isEmpty() {
        return byId.isEmpty() && creating.isEmpty();
    }

    /** If no task is served or being created: refuses every later Create and returns true (the server exits). */
    public synchronized boolean closeIfEmpty() {
        if (isEmpty()) {
            closed = true;
        }
        return closed;
    }
}
