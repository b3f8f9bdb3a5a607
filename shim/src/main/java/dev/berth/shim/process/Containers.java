package dev.berth.shim.process;

import dev.berth.api.events.TaskOOM;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.metrics.OomWatcher;
import java.util.HashMap;
import java.util.Map;

/** The tasks one shim serves, by container id, and what they are built from (reaper, syscalls, events). */
public final class Containers {
    private final Syscalls sys;
    private final Reaper reaper;
    private final EventSink events;
    private final Map<String, Container> byId = new HashMap<>();
    private final Map<String, Boolean> creating = new HashMap<>();
    private final OomWatcher oom;
    private boolean closed;

    /** Tasks whose OOM kills are published as {@code /tasks/oom}, as the host's memory cgroups notify them. */
    public Containers(Syscalls sys, Reaper reaper, EventSink events) {
        this.sys = sys;
        this.reaper = reaper;
        this.events = events;
        this.oom = OomWatcher.onHost(sys, id -> events.publish(EventSink.TASK_OOM,
                TaskOOM.newBuilder().setContainerId(id).build()));
    }

    /** Creates a task; ALREADY_EXISTS if the id is taken. */
    public Container create(Container.CreateSpec spec, RuntimeEngine engine) {
        synchronized (this) {
            if (closed) {
                throw new EngineException(EngineException.Kind.FAILED_PRECONDITION,
                        "create " + spec.id() + ": shim server is exiting");
            }
            if (byId.containsKey(spec.id()) || creating.putIfAbsent(spec.id(), true) != null) {
                throw new EngineException(EngineException.Kind.ALREADY_EXISTS,
                        "create " + spec.id() + ": task already exists");
            }
        }
        try {
            Container c = Container.create(spec, engine, sys, reaper, events);
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
