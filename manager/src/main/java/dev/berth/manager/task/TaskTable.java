package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live tasks of one {@link ShimTasks} by namespace and id, the ids being created, and whether it was closed. */
final class TaskTable {
    private record Key(String namespace, String id) {}

    private final Map<Key, ShimTask> tasks = new ConcurrentHashMap<>();
    /** Ids reserved by a create until its task is in the table, so that two creates of one id never both launch. */
    private final Set<Key> creating = ConcurrentHashMap.newKeySet();
    /** Set once berthd let go of its shims: nothing may create, recover or clean up tasks after that. */
    private volatile boolean closed;

    /** Reserves {@code namespace/id} for the create {@code what} names; {@link #release} ends the reservation. */
    void reserve(String what, String namespace, String id) {
        if (!creating.add(new Key(namespace, id))) {
            throw BerthException.alreadyExists(what + ": already being created");
        }
    }

    void release(String namespace, String id) {
        creating.remove(new Key(namespace, id));
    }

    boolean contains(String namespace, String id) {
        return tasks.containsKey(new Key(namespace, id));
    }

    void add(ShimTask task) {
        tasks.put(key(task), task);
    }

    /** Removes {@code task} if it is still the task under its name (a later task of the same id stays). */
    void remove(ShimTask task) {
        tasks.remove(key(task), task);
    }

    /** The task {@code namespace/containerId}; NOT_FOUND, naming {@code operation}, if there is none. */
    ShimTask get(String operation, String namespace, String containerId) {
        ShimTask task = tasks.get(new Key(namespace, containerId));
        if (task == null) {
            throw BerthException.notFound(operation + " " + namespace + "/" + containerId + ": no such task");
        }
        return task;
    }

    /** The task {@code namespace/id}, absent when it is not (or no longer) live. */
    Optional<ShimTask> find(String namespace, String id) {
        return Optional.ofNullable(tasks.get(new Key(namespace, id)));
    }

    /** The tasks of {@code namespace}, sorted by id. */
    List<ShimTask> inNamespace(String namespace) {
        return tasks.values().stream().filter(t -> t.call.namespace().equals(namespace))
                .sorted(Comparator.comparing(t -> t.call.id())).toList();
    }

    /** True if a live task is served by the shim at {@code address}, which must then keep running. */
    boolean anyServedAt(String address) {
        return tasks.values().stream().anyMatch(t -> t.address().equals(address));
    }

    boolean isClosed() {
        return closed;
    }

    /** Throws UNAVAILABLE, naming {@code what}, once the table is closed. */
    void checkOpen(String what) {
        if (closed) {
            throw BerthException.unavailable(what + ": task manager closed");
        }
    }

    /** Closes the table and empties it; returns the tasks it held, whose shims the caller lets go of. */
    List<ShimTask> close() {
        closed = true;
        List<ShimTask> held = new ArrayList<>(tasks.values());
        tasks.clear();
        return held;
    }

    private static Key key(ShimTask task) {
        return new Key(task.call.namespace(), task.call.id());
    }
}
