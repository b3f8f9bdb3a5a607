package dev.berth.manager.task;

import com.google.protobuf.Any;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.runtime.task.v2.ExecProcessRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.log.Log;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Subscriber;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.manager.task.shim.ShimClient;
import dev.berth.manager.task.shim.ShimLauncher;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@link Tasks} with one shim per task, spoken to over containerd's shim v2 protocol (containerd's {@code
 * core/runtime/v2/manager.go}). The shim's own state is the truth: berthd keeps only the connection to each
 * task's shim and the last exit its events reported.
 *
 * <p>This class runs the task operations; its parts do the rest: {@link TaskCreator} creates tasks, {@link
 * TaskTable} holds the live ones, {@link ExitWatcher} records their exits, {@link DeadShimCleanup} cleans up after
 * a shim that dies as containerd does (its {@code delete} verb runs, {@code /tasks/exit} and {@code /tasks/delete}
 * are published, the exit is kept in {@link LostTaskExits}, the bundle is removed), and {@link TaskRecovery} implements {@link #recover}. {@link #close} lets
 * go of the shims without stopping them; a new instance over the same state root takes them back with {@link
 * #recover}.
 */
public final class ShimTasks implements Tasks, AutoCloseable {
    private static final Log LOG = Log.of(ShimTasks.class);

    private final Syscalls sys;
    private final TaskTable tasks = new TaskTable();
    /** Holds the calls of a namespace whose tasks a running {@link #startRecovery} has not taken back yet. */
    private final RecoveryGate recovering = new RecoveryGate();
    /** The recovery {@link #startRecovery} runs, which {@link #close} waits for. */
    private volatile Thread recoveryThread;
    private final ShimTeardown teardown;
    private final TaskCreator creator;
    private final TaskRecovery recovery;
    private final ExitWatcher exits;
    private final java.time.Duration shutdownTimeout;
    private final java.time.Duration callTimeout;
    /** Deleted tasks whose shim is still exiting; their bundles go once it has. {@link #close} waits for them. */
    private final java.util.Set<Thread> retiring = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ShimTasks(ShimTasksConfig config, ShimLauncher launcher, Publisher publisher, Subscriber subscriber,
                     Syscalls sys) {
        this(config, launcher, publisher, subscriber, LostTaskExits.NONE, sys);
    }

    /** @param lostExits where the exit of a task whose shim died is kept, besides its {@code /tasks/exit} */
    public ShimTasks(ShimTasksConfig config, ShimLauncher launcher, Publisher publisher, Subscriber subscriber,
                     LostTaskExits lostExits, Syscalls sys) {
        this.sys = sys;
        this.teardown = new ShimTeardown(config, launcher, tasks);
        GroupServers servers = new GroupServers();
        ShimReconnect reconnect = new ShimReconnect(config, launcher, servers);
        DeadShimCleanup deadShims = new DeadShimCleanup(tasks, teardown, reconnect, publisher, lostExits, sys);
        this.creator = new TaskCreator(config, launcher, sys, tasks, teardown, deadShims, servers);
        this.recovery = new TaskRecovery(config.stateRoot(), launcher, sys, tasks, deadShims, reconnect, lostExits);
        this.exits = ExitWatcher.start(subscriber, tasks);
        this.shutdownTimeout = config.shutdownTimeout();
        this.callTimeout = config.callTimeout();
    }

    @Override
    public int create(TaskCreate request) throws IOException {
        recovering.await("create task " + request.namespace() + "/" + request.containerId(), request.namespace());
        return creator.create(request);
    }

    // --- delete ---

    @Override
    public ProcessExit delete(String namespace, String containerId) throws IOException {
        ShimTask task = live("delete task", namespace, containerId);
        ProcessExit exit;
        task.lock.lock();
        try {
            if (task.removed) {
                throw BerthException.notFound("delete task " + task.name() + ": not found");
            }
            Optional<ProcessExit> deleted;
            try {
                deleted = Optional.of(call(task, "delete task " + task.name(), c -> c.delete(containerId, "")));
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.UNAVAILABLE && e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
                LOG.warn("shim lost the task being deleted; cleaning up", e, "namespace", namespace, "id",
                        containerId, "shim_pid", task.shimPid());
                deleted = Optional.empty();
            }
            task.removed = true;
            tasks.remove(task);
            exit = deleted.isPresent() ? deleted.get() : teardown.deleteVerb(task);
            task.exited(exit);
            task.unlink();
        } finally {
            task.lock.unlock();
        }
        // As containerd: the answer does not wait for the shim's JVM to exit. The bundle moves aside at once (the
        // id is free again) and goes when the shim is gone.
        teardown.shutdown(task);
        Path retired = task.bundle.retire(sys);
        Thread exiting = Thread.ofVirtual().name("shim-exit-" + containerId).unstarted(() -> {
            try {
                teardown.awaitGone(task, retired);
                Cleanup.ignoring("remove bundle", task.call, () -> Bundle.purge(sys, retired));
            } finally {
                retiring.remove(Thread.currentThread());
            }
        });
        retiring.add(exiting);
        exiting.start();
        LOG.info("task deleted", "namespace", namespace, "id", containerId, "pid", exit.pid(), "exit_status",
                exit.exitStatus());
        return exit;
    }

    @Override
    public ProcessExit deleteProcess(ProcessRef process) {
        if (process.isInit()) {
            throw BerthException.invalidArgument("delete process " + process + ": no exec id (delete the task)");
        }
        ShimTask task = task("delete process", process);
        return call(task, "delete process " + process, c -> c.delete(process.containerId(), process.execId()));
    }

    // --- state ---

    @Override
    public TaskState get(ProcessRef process) {
        ShimTask task = task("get task", process);
        try {
            return state(process, call(task, "get task " + process,
                    c -> c.state(process.containerId(), process.execId())));
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE && process.isInit() && task.lastExit().isPresent()) {
                ProcessExit exit = task.lastExit().get();
                return new TaskState(process.namespace(), process.containerId(), "", exit.pid(), TaskStatus.STOPPED,
                        Stdio.NONE, exit.exitStatus(), Optional.of(exit.exitedAt()));
            }
            throw e;
        }
    }

    /**
     * Once the namespace is recovered: the init of each of its tasks, asked of the shims all at once (a State is
     * a round trip to a shim; fifty one after another were most of a task list after a restart).
     */
    @Override
    public List<TaskState> list(String namespace) {
        recovering.await("list tasks", namespace);
        List<ShimTask> live = tasks.inNamespace(namespace);
        if (live.size() == 1) {
            return List.of(initState(namespace, live.getFirst()));
        }
        List<java.util.concurrent.Future<TaskState>> states = new ArrayList<>(live.size());
        try (var calls = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (ShimTask task : live) {
                states.add(calls.submit(() -> initState(namespace, task)));
            }
        } // closing waits for every call: initState throws nothing
        return states.stream().map(java.util.concurrent.Future::resultNow).toList();
    }

    /** The state of {@code task}'s init; UNKNOWN when its shim cannot tell. */
    private TaskState initState(String namespace, ShimTask task) {
        ProcessRef init = ProcessRef.init(namespace, task.call.id());
        try {
            return get(init);
        } catch (BerthException e) {
            return new TaskState(namespace, task.call.id(), "", 0, TaskStatus.UNKNOWN, Stdio.NONE, 0,
                    Optional.empty());
        }
    }

    private static TaskState state(ProcessRef process, StateResponse s) {
        Optional<Instant> exitedAt = s.hasExitedAt() && (s.getExitedAt().getSeconds() != 0
                || s.getExitedAt().getNanos() != 0)
                ? Optional.of(Instant.ofEpochSecond(s.getExitedAt().getSeconds(), s.getExitedAt().getNanos()))
                : Optional.empty();
        return new TaskState(process.namespace(), process.containerId(), process.execId(), s.getPid(),
                TaskStatus.of(s.getStatus()), new Stdio(s.getStdin(), s.getStdout(), s.getStderr(), s.getTerminal()),
                s.getExitStatus(), exitedAt);
    }

    // --- the rest: one shim call each ---

    @Override
    public int start(ProcessRef process) {
        ShimTask task = task("start", process);
        int pid = call(task, "start " + process, c -> c.start(process.containerId(), process.execId()));
        {
            if (process.isInit()) {
                LOG.info("task started", "namespace", process.namespace(), "id", process.containerId(), "pid", pid);
            } else {
                LOG.info("exec started", "namespace", process.namespace(), "id", process.containerId(), "exec",
                        process.execId(), "pid", pid);
            }
            return pid;
        }
    }

    @Override
    public void kill(ProcessRef process, int signal, boolean all) {
        ShimTask task = task("kill", process);
        run(task, "kill " + process, c -> c.kill(process.containerId(), process.execId(), signal, all));
    }

    @Override
    public void exec(ExecCreate request) {
        ProcessRef p = request.process();
        ShimTask task = task("exec", p);
        Stdio io = request.stdio();
        ExecProcessRequest exec = ExecProcessRequest.newBuilder().setId(p.containerId()).setExecId(p.execId())
                .setTerminal(io.terminal()).setStdin(io.stdin()).setStdout(io.stdout()).setStderr(io.stderr())
                .setSpec(request.spec()).build();
        run(task, "exec " + p, c -> c.exec(exec));
    }

    @Override
    public void resizePty(ProcessRef process, int width, int height) {
        ShimTask task = task("resize pty of", process);
        run(task, "resize pty of " + process,
                c -> c.resizePty(process.containerId(), process.execId(), width, height));
    }

    @Override
    public void closeStdin(ProcessRef process) {
        ShimTask task = task("close stdin of", process);
        run(task, "close stdin of " + process, c -> c.closeIO(process.containerId(), process.execId(), true));
    }

    @Override
    public void pause(String namespace, String containerId) {
        ShimTask task = live("pause task", namespace, containerId);
        run(task, "pause task " + task.name(), c -> c.pause(containerId));
    }

    @Override
    public void resume(String namespace, String containerId) {
        ShimTask task = live("resume task", namespace, containerId);
        run(task, "resume task " + task.name(), c -> c.resume(containerId));
    }

    @Override
    public List<PidInfo> pids(String namespace, String containerId) {
        ShimTask task = live("list pids of task", namespace, containerId);
        return call(task, "list pids of task " + task.name(), c -> c.pids(containerId)).stream()
                .map(p -> new PidInfo(p.getPid(), p.hasInfo() ? Optional.of(p.getInfo()) : Optional.<Any>empty()))
                .toList();
    }

    @Override
    public void update(String namespace, String containerId, Any resources, Map<String, String> annotations) {
        ShimTask task = live("update task", namespace, containerId);
        run(task, "update task " + task.name(), c -> c.update(containerId, resources, annotations));
    }

    @Override
    public Any metrics(String namespace, String containerId) {
        ShimTask task = live("metrics of task", namespace, containerId);
        return call(task, "metrics of task " + task.name(), c -> c.stats(containerId));
    }

    /**
     * Waits on the task's shim; when the connection breaks, for what follows, with no time limit: the task's new
     * shim (its group's new server took the task over, {@link DeadShimCleanup}), where the Wait is made again, or,
     * for the init, the exit the dead shim's clean-up records.
     */
    @Override
    public ProcessExit wait(ProcessRef process) {
        ShimTask task = task("wait for", process);
        ShimTask.Link link = task.link();
        while (true) {
            try {
                return link.client().wait(process.containerId(), process.execId());
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.UNAVAILABLE) {
                    throw wrap("wait for " + process, e);
                }
            }
            CompletableFuture<?> next = process.isInit()
                    ? CompletableFuture.anyOf(task.linkAfter(link), task.exit(), task.unlinked())
                    : CompletableFuture.anyOf(task.linkAfter(link), task.unlinked());
            Object outcome = await("wait for " + process, next);
            if (outcome instanceof ShimTask.Link fresh) {
                link = fresh;
            } else if (process.isInit() && !tasks.isClosed()) {
                return await("wait for " + process, task.exit()); // the dead shim's clean-up records it
            } else {
                throw BerthException.unavailable("wait for " + process + ": no shim serves the task any more");
            }
        }
    }

    private static <T> T await(String what, CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.CANCELLED, what + ": interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw BerthException.internal(what + ": " + e.getCause());
        }
    }

    // --- restart ---

    /**
     * Takes back the tasks of an earlier berthd from the bundles under the state root: a task whose shim answers
     * at its {@code address} and still knows it (State) is live again; any other bundle is cleaned up with its
     * shim's {@code delete} verb and removed, as are leftovers of interrupted deletes. Call once, before serving,
     * or use {@link #startRecovery}.
     */
    public Recovery recover() throws IOException {
        tasks.checkOpen("recover tasks");
        recovering.close();
        return recovery.recover(recovering);
    }

    /**
     * {@link #recover} on a thread of its own, for a berthd that serves while it recovers: from this call on, a
     * call on the tasks of a namespace waits until that namespace is recovered (list, create, get, kill, wait,
     * ...); namespaces without bundles do not wait beyond the listing of the state root. If the recovery fails,
     * the calls that waited fail with UNAVAILABLE and later ones go on. {@link #close} waits for it.
     */
    public CompletableFuture<Recovery> startRecovery() {
        tasks.checkOpen("recover tasks");
        recovering.close();
        CompletableFuture<Recovery> result = new CompletableFuture<>();
        recoveryThread = Thread.ofVirtual().name("recover-tasks").start(() -> {
            try {
                result.complete(recovery.recover(recovering));
            } catch (IOException | RuntimeException e) { // the gate has failed the waiting calls with it
                result.completeExceptionally(e);
            } finally {
                // an Error goes on to the thread's handler; whoever waits for the result must not wait for ever
                result.completeExceptionally(BerthException.internal("recover tasks: ended without a result"));
            }
        });
        return result;
    }

    // --- helpers ---

    private ShimTask task(String operation, ProcessRef process) {
        return live(operation, process.namespace(), process.containerId());
    }

    /** The live task {@code namespace/containerId}, once its namespace is recovered; NOT_FOUND if there is none. */
    private ShimTask live(String operation, String namespace, String containerId) {
        recovering.await(operation + " " + namespace + "/" + containerId, namespace);
        return tasks.get(operation, namespace, containerId);
    }

    /**
     * One shim call; a call whose connection broke is made once more on the task's new shim, if one takes the task
     * over within the call timeout ({@link DeadShimCleanup}). Errors name {@code what}.
     */
    private <T> T call(ShimTask task, String what, Function<ShimClient, T> body) {
        ShimTask.Link link = task.link();
        try {
            return body.apply(link.client());
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.UNAVAILABLE) {
                throw wrap(what, e);
            }
            Optional<ShimTask.Link> fresh = relinked(task, link);
            if (fresh.isEmpty()) {
                throw wrap(what, e);
            }
            try {
                return body.apply(fresh.get().client());
            } catch (BerthException again) {
                throw wrap(what, again);
            }
        }
    }

    private void run(ShimTask task, String what, java.util.function.Consumer<ShimClient> body) {
        call(task, what, c -> {
            body.accept(c);
            return null;
        });
    }

    /** The link that replaced {@code broken}, if one does within the call timeout. */
    private Optional<ShimTask.Link> relinked(ShimTask task, ShimTask.Link broken) {
        try {
            Object outcome = CompletableFuture.anyOf(task.linkAfter(broken), task.unlinked())
                    .get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return outcome instanceof ShimTask.Link fresh ? Optional.of(fresh) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    private static BerthException wrap(String what, BerthException e) {
        return new BerthException(e.kind(), what + ": " + e.getMessage(), e);
    }

    /**
     * Lets go of every shim (connections, logs, watchers) without stopping them or their containers, as berthd
     * does when it exits. Safe to call more than once.
     */
    @Override
    public void close() {
        Thread running = recoveryThread;
        if (running != null) {
            try {
                running.join(shutdownTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Thread t : List.copyOf(retiring)) {
            try {
                t.join(shutdownTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<ShimTask> held = tasks.close();
        exits.close();
        for (ShimTask task : held) {
            task.unlink();
            Cleanup.ignoring("close shim client", task.call, task.client()::close);
            task.log.close();
        }
    }
}
