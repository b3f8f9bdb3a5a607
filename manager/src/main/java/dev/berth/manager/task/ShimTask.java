package dev.berth.manager.task;

import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.manager.task.shim.ShimCall;
import dev.berth.manager.task.shim.ShimClient;
import dev.berth.manager.task.shim.ShimLog;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** A live task: its bundle, its shim (connection, log, pid) and the last exit of its init process seen. */
final class ShimTask {
    final Bundle bundle;
    final ShimCall call;
    final String address;
    final ShimClient client;
    final ShimLog log;
    final long shimPid;
    /** Held while the task is being removed, so that delete and the dead-shim clean-up run once. */
    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    boolean removed;
    volatile Optional<ProcessExit> lastExit = Optional.empty();

    ShimTask(Bundle bundle, ShimCall call, String address, ShimClient client, ShimLog log, long shimPid) {
        this.bundle = bundle;
        this.call = call;
        this.address = address;
        this.client = client;
        this.log = log;
        this.shimPid = shimPid;
    }

    String name() {
        return call.namespace() + "/" + call.id();
    }
}
