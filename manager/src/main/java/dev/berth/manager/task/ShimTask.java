package dev.berth.manager.task;

import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.manager.task.shim.ShimCall;
import dev.berth.manager.task.shim.ShimClient;
import dev.berth.manager.task.shim.ShimLog;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A live task: its bundle, its shim as berthd reaches it now ({@link Link}: replaced when a new server of the
 * task's group took the task over from a server that died), and its init's exit once known.
 */
final class ShimTask {
    /** The shim serving the task: its address, berthd's connection to it and its pid. */
    record Link(String address, ShimClient client, long shimPid) {}

    final Bundle bundle;
    final ShimCall call;
    final ShimLog log;
    /** Held while the task is being removed, so that delete and the dead-shim clean-up run once. */
    final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}; read without it where a stale answer only delays. */
    volatile boolean removed;
    /** The init's exit: from its {@code /tasks/exit} or, for a task whose shim died, from the clean-up. */
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    /** Completes once berthd will not link the task to a shim again (deleted, its shim dead for good, closed). */
    private final CompletableFuture<Void> unlinked = new CompletableFuture<>();
    private Link link;
    private CompletableFuture<Link> next = new CompletableFuture<>();

    ShimTask(Bundle bundle, ShimCall call, Link link, ShimLog log) {
        this.bundle = bundle;
        this.call = call;
        this.link = link;
        this.log = log;
    }

    String name() {
        return call.namespace() + "/" + call.id();
    }

    synchronized Link link() {
        return link;
    }

    ShimClient client() {
        return link().client();
    }

    String address() {
        return link().address();
    }

    long shimPid() {
        return link().shimPid();
    }

    /** The link that replaces {@code stale}: done at once if it was replaced already. */
    synchronized CompletableFuture<Link> linkAfter(Link stale) {
        return link != stale ? CompletableFuture.completedFuture(link) : next;
    }

    /** The task is served by {@code fresh} from now on; callers waiting in {@link #linkAfter} go on with it. */
    void relink(Link fresh) {
        CompletableFuture<Link> waiting;
        synchronized (this) {
            link = fresh;
            waiting = next;
            next = new CompletableFuture<>();
        }
        waiting.complete(fresh);
    }

    /** See {@link #unlinked}. */
    CompletableFuture<Void> unlinked() {
        return unlinked;
    }

    void unlink() {
        unlinked.complete(null);
    }

    /** Records the init's exit; the first one recorded stays. */
    void exited(ProcessExit e) {
        exit.complete(e);
    }

    CompletableFuture<ProcessExit> exit() {
        return exit;
    }

    Optional<ProcessExit> lastExit() {
        return exit.isDone() ? Optional.of(exit.join()) : Optional.empty();
    }
}
