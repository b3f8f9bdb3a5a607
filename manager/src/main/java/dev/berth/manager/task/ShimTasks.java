package dev.berth.manager.task;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.events.TaskDelete;
import dev.berth.api.events.TaskExit;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.ExecProcessRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.manager.event.Envelope;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Subscriber;
import dev.berth.manager.event.Subscription;
import dev.berth.manager.event.Topics;
import dev.berth.manager.log.Log;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.manager.task.shim.ShimCall;
import dev.berth.manager.task.shim.ShimClient;
import dev.berth.manager.task.shim.ShimLauncher;
import dev.berth.manager.task.shim.ShimLog;
import dev.berth.runtime.syscall.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@link Tasks} with one shim per task, spoken to over containerd's shim v2 protocol (containerd's {@code
 * core/runtime/v2/manager.go}). The shim's own state is the truth: this class keeps only the connection to each
 * task's shim and the last exit its events reported.
 *
 * <p>A shim that dies (its pid is watched) is cleaned up after as containerd does: its {@code delete} verb runs,
 * {@code /tasks/exit} and {@code /tasks/delete} are published, the bundle is removed. {@link #close} lets go of
 * the shims without stopping them; a new instance over the same state root takes them back with {@link #recover}.
 */
public final class ShimTasks implements Tasks, AutoCloseable {
    private static final Log LOG = Log.of(ShimTasks.class);
    private static final String EXIT_FILTER = "topic==\"" + Topics.TASK_EXIT + "\"";
    /** containerd's status for a process whose end nobody saw. */
    private static final int UNKNOWN_EXIT = 255;
    private static final int SIGKILL = 9;

    private record Key(String namespace, String id) {}

    private final ShimTasksConfig config;
    private final ShimLauncher launcher;
    private final Publisher publisher;
    private final Subscriber subscriber;
    private final Syscalls sys;
    private final Map<Key, ShimTask> tasks = new ConcurrentHashMap<>();
    private final Set<Key> creating = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Subscription> exits = new AtomicReference<>();
    private final Thread exitWatcher;
    private volatile boolean closed;

    public ShimTasks(ShimTasksConfig config, ShimLauncher launcher, Publisher publisher, Subscriber subscriber,
                     Syscalls sys) {
        this.config = config;
        this.launcher = launcher;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.sys = sys;
        this.exitWatcher = Thread.ofVirtual().name("task-exits").start(this::watchExits);
    }

    // --- create ---

    @Override
    public int create(TaskCreate request) throws IOException {
        String ns = request.namespace();
        String id = request.containerId();
        String what = "create task " + ns + "/" + id;
        Identifiers.validate(what, ns, id);
        checkOpen(what);
        Path binary = request.runtime().isEmpty() ? config.binaries().resolve(ShimBinaries.RUNC_V2)
                : config.binaries().resolve(request.runtime());
        Key key = new Key(ns, id);
        if (!creating.add(key)) {
            throw BerthException.alreadyExists(what + ": already being created");
        }
        try {
            if (tasks.containsKey(key)) {
                throw BerthException.alreadyExists(what + ": already exists");
            }
            Bundle bundle = Bundle.create(config.stateRoot(), ns, id, request.spec());
            Launched launched = launch(bundle, new ShimCall(binary, ns, id, bundle.dir()), request);
            tasks.put(key, launched.task());
            watchShim(launched.task());
            LOG.info("task created", "namespace", ns, "id", id, "pid", launched.pid(), "runtime",
                    request.runtime().isEmpty() ? ShimBinaries.RUNC_V2 : request.runtime(),
                    "shim_pid", launched.task().shimPid);
            return launched.pid();
        } finally {
            creating.remove(key);
        }
    }

    private record Launched(ShimTask task, int pid) {}

    private Launched launch(Bundle bundle, ShimCall call, TaskCreate request) throws IOException {
        String what = "create task " + call.namespace() + "/" + call.id();
        ShimLauncher.Started started = null;
        ShimClient client = null;
        long shimPid = 0;
        try {
            started = launcher.start(call, request.options());
            client = ShimClient.connect(started.address(), call.namespace(), config.callTimeout());
            shimPid = client.connect(call.id()).getShimPid();
            int pid = client.create(createRequest(call, request));
            return new Launched(new ShimTask(bundle, call, started.address(), client, started.log(), shimPid), pid);
        } catch (IOException | RuntimeException e) {
            undoLaunch(bundle, call, started, client, shimPid);
            if (e instanceof BerthException b) {
                throw new BerthException(b.kind(), what + ": " + b.getMessage(), b);
            }
            throw e;
        }
    }

    private static CreateTaskRequest createRequest(ShimCall call, TaskCreate request) {
        CreateTaskRequest.Builder b = CreateTaskRequest.newBuilder().setId(call.id())
                .setBundle(call.bundle().toString()).setTerminal(request.stdio().terminal())
                .setStdin(request.stdio().stdin()).setStdout(request.stdio().stdout())
                .setStderr(request.stdio().stderr());
        for (Mount m : request.rootfs()) {
            b.addRootfs(dev.berth.api.types.Mount.newBuilder().setType(m.type()).setSource(m.source())
                    .addAllOptions(m.options()));
        }
        request.options().ifPresent(b::setOptions);
        return b.build();
    }

    /** Leaves nothing of a create that failed: the task in the shim, the shim, its runtime state, the bundle. */
    private void undoLaunch(Bundle bundle, ShimCall call, ShimLauncher.Started started, ShimClient client,
                            long shimPid) {
        if (client != null) {
            ignoring("delete failed task", call, () -> client.delete(call.id(), ""));
            ignoring("shut down shim", call, () -> client.shutdown(call.id(), false));
            ignoring("close shim client", call, client::close);
        }
        if (shimPid != 0 && !awaitExit(shimPid, config.shutdownTimeout())) {
            LOG.warn("shim of failed task still running; killing it", "namespace", call.namespace(), "id",
                    call.id(), "shim_pid", shimPid);
            ignoring("kill shim", call, () -> sys.kill((int) shimPid, SIGKILL));
            awaitExit(shimPid, config.shutdownTimeout());
        }
        if (started != null) {
            ignoring("shim delete verb", call, () -> launcher.delete(call));
            started.log().close();
        }
        ignoring("remove bundle", call, () -> bundle.delete(sys));
    }

    // --- delete ---

    @Override
    public ProcessExit delete(String namespace, String containerId) throws IOException {
        ShimTask task = task("delete task", namespace, containerId);
        ProcessExit exit;
        task.lock.lock();
        try {
            if (task.removed) {
                throw BerthException.notFound("delete task " + task.name() + ": not found");
            }
            Optional<ProcessExit> deleted;
            try {
                deleted = Optional.of(task.client.delete(containerId, ""));
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.UNAVAILABLE && e.kind() != ErrorKind.NOT_FOUND) {
                    throw wrap("delete task " + task.name(), e);
                }
                LOG.warn("shim lost the task being deleted; cleaning up", e, "namespace", namespace, "id",
                        containerId, "shim_pid", task.shimPid);
                deleted = Optional.empty();
            }
            task.removed = true;
            tasks.remove(new Key(namespace, containerId), task);
            exit = deleted.isPresent() ? deleted.get() : deleteVerb(task);
        } finally {
            task.lock.unlock();
        }
        stopShim(task);
        task.bundle.delete(sys);
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
        try {
            return task.client.delete(process.containerId(), process.execId());
        } catch (BerthException e) {
            throw wrap("delete process " + process, e);
        }
    }

    private ProcessExit deleteVerb(ShimTask task) {
        try {
            return launcher.delete(task.call);
        } catch (IOException | BerthException e) {
            LOG.warn("shim delete verb failed", e, "namespace", task.call.namespace(), "id", task.call.id());
            return new ProcessExit(0, UNKNOWN_EXIT, Instant.now());
        }
    }

    /** Asks the shim to exit (it does once it serves no task) and lets go of it. */
    private void stopShim(ShimTask task) {
        ignoring("shut down shim", task.call, () -> task.client.shutdown(task.call.id(), false));
        ignoring("close shim client", task.call, task.client::close);
        boolean shared = tasks.values().stream().anyMatch(t -> t.address.equals(task.address));
        if (!shared && !awaitExit(task.shimPid, config.shutdownTimeout())) {
            LOG.warn("shim of deleted task did not exit in time", "namespace", task.call.namespace(), "id",
                    task.call.id(), "shim_pid", task.shimPid, "timeout_ms", config.shutdownTimeout().toMillis());
        }
        task.log.close();
    }

    // --- the shim died ---

    private void watchShim(ShimTask task) {
        Optional<ProcessHandle> shim = ProcessHandle.of(task.shimPid);
        if (shim.isEmpty()) {
            Thread.ofVirtual().start(() -> shimDied(task));
            return;
        }
        shim.get().onExit().thenRun(() -> Thread.ofVirtual().name("shim-died-" + task.call.id())
                .start(() -> shimDied(task)));
    }

    private void shimDied(ShimTask task) {
        task.lock.lock();
        try {
            if (task.removed || closed) {
                return;
            }
            task.removed = true;
            tasks.remove(new Key(task.call.namespace(), task.call.id()), task);
        } finally {
            task.lock.unlock();
        }
        LOG.warn("shim exited; cleaning up its task", "namespace", task.call.namespace(), "id", task.call.id(),
                "shim_pid", task.shimPid);
        ProcessExit exit = deleteVerb(task);
        ignoring("close shim client", task.call, task.client::close);
        task.log.close();
        ignoring("remove bundle", task.call, () -> task.bundle.delete(sys));
        Timestamp at = timestamp(exit.exitedAt());
        publisher.publish(task.call.namespace(), Topics.TASK_EXIT, TaskExit.newBuilder()
                .setContainerId(task.call.id()).setId(task.call.id()).setPid(exit.pid())
                .setExitStatus(exit.exitStatus()).setExitedAt(at).build());
        publisher.publish(task.call.namespace(), Topics.TASK_DELETE, TaskDelete.newBuilder()
                .setContainerId(task.call.id()).setPid(exit.pid()).setExitStatus(exit.exitStatus())
                .setExitedAt(at).build());
    }

    // --- state ---

    @Override
    public TaskState get(ProcessRef process) {
        ShimTask task = task("get task", process);
        try {
            return state(process, task.client.state(process.containerId(), process.execId()));
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE && process.isInit() && task.lastExit.isPresent()) {
                ProcessExit exit = task.lastExit.get();
                return new TaskState(process.namespace(), process.containerId(), "", exit.pid(), TaskStatus.STOPPED,
                        Stdio.NONE, exit.exitStatus(), Optional.of(exit.exitedAt()));
            }
            throw wrap("get task " + process, e);
        }
    }

    @Override
    public List<TaskState> list(String namespace) {
        List<TaskState> states = new ArrayList<>();
        for (ShimTask task : tasks.values().stream().filter(t -> t.call.namespace().equals(namespace))
                .sorted(Comparator.comparing(t -> t.call.id())).toList()) {
            ProcessRef init = ProcessRef.init(namespace, task.call.id());
            try {
                states.add(get(init));
            } catch (BerthException e) {
                states.add(new TaskState(namespace, task.call.id(), "", 0, TaskStatus.UNKNOWN, Stdio.NONE, 0,
                        Optional.empty()));
            }
        }
        return states;
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
        try {
            int pid = task.client.start(process.containerId(), process.execId());
            if (process.isInit()) {
                LOG.info("task started", "namespace", process.namespace(), "id", process.containerId(), "pid", pid);
            } else {
                LOG.info("exec started", "namespace", process.namespace(), "id", process.containerId(), "exec",
                        process.execId(), "pid", pid);
            }
            return pid;
        } catch (BerthException e) {
            throw wrap("start " + process, e);
        }
    }

    @Override
    public void kill(ProcessRef process, int signal, boolean all) {
        ShimTask task = task("kill", process);
        try {
            task.client.kill(process.containerId(), process.execId(), signal, all);
        } catch (BerthException e) {
            throw wrap("kill " + process, e);
        }
    }

    @Override
    public void exec(ExecCreate request) {
        ProcessRef p = request.process();
        ShimTask task = task("exec", p);
        Stdio io = request.stdio();
        try {
            task.client.exec(ExecProcessRequest.newBuilder().setId(p.containerId()).setExecId(p.execId())
                    .setTerminal(io.terminal()).setStdin(io.stdin()).setStdout(io.stdout()).setStderr(io.stderr())
                    .setSpec(request.spec()).build());
        } catch (BerthException e) {
            throw wrap("exec " + p, e);
        }
    }

    @Override
    public void resizePty(ProcessRef process, int width, int height) {
        ShimTask task = task("resize pty of", process);
        try {
            task.client.resizePty(process.containerId(), process.execId(), width, height);
        } catch (BerthException e) {
            throw wrap("resize pty of " + process, e);
        }
    }

    @Override
    public void closeStdin(ProcessRef process) {
        ShimTask task = task("close stdin of", process);
        try {
            task.client.closeIO(process.containerId(), process.execId(), true);
        } catch (BerthException e) {
            throw wrap("close stdin of " + process, e);
        }
    }

    @Override
    public void pause(String namespace, String containerId) {
        ShimTask task = task("pause task", namespace, containerId);
        try {
            task.client.pause(containerId);
        } catch (BerthException e) {
            throw wrap("pause task " + task.name(), e);
        }
    }

    @Override
    public void resume(String namespace, String containerId) {
        ShimTask task = task("resume task", namespace, containerId);
        try {
            task.client.resume(containerId);
        } catch (BerthException e) {
            throw wrap("resume task " + task.name(), e);
        }
    }

    @Override
    public List<PidInfo> pids(String namespace, String containerId) {
        ShimTask task = task("list pids of task", namespace, containerId);
        try {
            return task.client.pids(containerId).stream()
                    .map(p -> new PidInfo(p.getPid(), p.hasInfo() ? Optional.of(p.getInfo()) : Optional.<Any>empty()))
                    .toList();
        } catch (BerthException e) {
            throw wrap("list pids of task " + task.name(), e);
        }
    }

    @Override
    public void update(String namespace, String containerId, Any resources, Map<String, String> annotations) {
        ShimTask task = task("update task", namespace, containerId);
        try {
            task.client.update(containerId, resources, annotations);
        } catch (BerthException e) {
            throw wrap("update task " + task.name(), e);
        }
    }

    @Override
    public Any metrics(String namespace, String containerId) {
        ShimTask task = task("metrics of task", namespace, containerId);
        try {
            return task.client.stats(containerId);
        } catch (BerthException e) {
            throw wrap("metrics of task " + task.name(), e);
        }
    }

    @Override
    public ProcessExit wait(ProcessRef process) {
        ShimTask task = task("wait for", process);
        try {
            return task.client.wait(process.containerId(), process.execId());
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE && process.isInit() && task.lastExit.isPresent()) {
                return task.lastExit.get();
            }
            throw wrap("wait for " + process, e);
        }
    }

    // --- restart ---

    /**
     * Takes back the tasks of an earlier berthd from the bundles under the state root: a task whose shim answers
     * at its {@code address} and still knows it (State) is live again; any other bundle is cleaned up with its
     * shim's {@code delete} verb and removed, as are leftovers of interrupted deletes. Call once, before serving.
     */
    public Recovery recover() throws IOException {
        checkOpen("recover tasks");
        List<String> reattached = new ArrayList<>();
        List<String> cleaned = new ArrayList<>();
        Path root = config.stateRoot().resolve(Bundle.RUNTIME_DIR);
        if (!Files.isDirectory(root)) {
            return new Recovery(reattached, cleaned);
        }
        for (Path nsDir : list(root)) {
            if (!Files.isDirectory(nsDir)) {
                continue;
            }
            for (Path dir : list(nsDir)) {
                String name = nsDir.getFileName() + "/" + dir.getFileName();
                if (Bundle.isLeftover(dir)) {
                    Bundle.purge(sys, dir);
                    cleaned.add(name);
                } else if (Files.isDirectory(dir) && !tasks.containsKey(new Key(nsDir.getFileName().toString(),
                        dir.getFileName().toString()))) {
                    if (reattach(Bundle.load(dir))) {
                        reattached.add(name);
                    } else {
                        cleaned.add(name);
                    }
                }
            }
        }
        return new Recovery(reattached, cleaned);
    }

    private boolean reattach(Bundle bundle) throws IOException {
        Optional<String> address = bundle.address();
        Optional<Path> binary = bundle.shimBinary();
        ShimCall call = binary.map(b -> new ShimCall(b, bundle.namespace(), bundle.id(), bundle.dir())).orElse(null);
        if (address.isPresent() && call != null) {
            ShimClient client = null;
            try {
                client = ShimClient.connect(address.get(), bundle.namespace(), config.callTimeout());
                client.state(bundle.id(), "");
                long shimPid = client.connect(bundle.id()).getShimPid();
                ShimLog log = ShimLog.open(sys, bundle.dir(), bundle.namespace(), bundle.id());
                ShimTask task = new ShimTask(bundle, call, address.get(), client, log, shimPid);
                tasks.put(new Key(bundle.namespace(), bundle.id()), task);
                watchShim(task);
                LOG.info("task reattached", "namespace", bundle.namespace(), "id", bundle.id(), "shim_pid", shimPid,
                        "address", address.get());
                return true;
            } catch (IOException | BerthException e) {
                LOG.warn("shim of recovered task unusable; cleaning up", e, "namespace", bundle.namespace(), "id",
                        bundle.id(), "address", address.get());
                if (client != null) {
                    ShimClient c = client;
                    if (e instanceof BerthException b && b.kind() == ErrorKind.NOT_FOUND) {
                        ignoring("shut down shim", call, () -> c.shutdown(bundle.id(), false));
                    }
                    ignoring("close shim client", call, c::close);
                }
            }
        }
        if (call != null) {
            ignoring("shim delete verb", call, () -> launcher.delete(call));
        }
        bundle.delete(sys);
        LOG.info("task of earlier berthd cleaned up", "namespace", bundle.namespace(), "id", bundle.id());
        return false;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }

    // --- exits seen in events ---

    private void watchExits() {
        while (!closed) {
            Subscription s = subscriber.subscribe(List.of(EXIT_FILTER));
            exits.set(s);
            if (closed) {
                s.close();
                return;
            }
            try {
                while (true) {
                    recordExit(s.next());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.RESOURCE_EXHAUSTED) {
                    return;
                }
                LOG.warn("task exit subscription overflowed; subscribing again", e);
            }
        }
    }

    private void recordExit(Envelope envelope) {
        try {
            TaskExit exit = TaskExit.parseFrom(envelope.event().getValue());
            if (!exit.getId().isEmpty() && !exit.getId().equals(exit.getContainerId())) {
                return; // an exec'd process
            }
            ShimTask task = tasks.get(new Key(envelope.namespace(), exit.getContainerId()));
            if (task != null) {
                task.lastExit = Optional.of(new ProcessExit(exit.getPid(), exit.getExitStatus(),
                        Instant.ofEpochSecond(exit.getExitedAt().getSeconds(), exit.getExitedAt().getNanos())));
            }
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("task exit event does not decode", e, "namespace", envelope.namespace());
        }
    }

    // --- helpers ---

    private ShimTask task(String operation, ProcessRef process) {
        return task(operation, process.namespace(), process.containerId());
    }

    private ShimTask task(String operation, String namespace, String containerId) {
        ShimTask task = tasks.get(new Key(namespace, containerId));
        if (task == null) {
            throw BerthException.notFound(operation + " " + namespace + "/" + containerId + ": no such task");
        }
        return task;
    }

    private static BerthException wrap(String what, BerthException e) {
        return new BerthException(e.kind(), what + ": " + e.getMessage(), e);
    }

    private void checkOpen(String what) {
        if (closed) {
            throw BerthException.unavailable(what + ": task manager closed");
        }
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    /** True once the process is gone, false if it still runs after {@code timeout}. */
    private static boolean awaitExit(long pid, Duration timeout) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty()) {
            return true;
        }
        try {
            p.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !p.get().isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.get().isAlive();
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /**
     * Runs a clean-up step of the task {@code call} names whose failure must not hide the error being handled;
     * the failure is logged: expected kinds at debug, anything else (a bug) at warn.
     */
    private static void ignoring(String operation, ShimCall call, Step step) {
        try {
            step.run();
        } catch (IOException | BerthException e) {
            LOG.debug("clean-up step failed", e, "operation", operation, "namespace", call.namespace(), "id",
                    call.id());
        } catch (RuntimeException e) {
            LOG.warn("clean-up step failed", e, "operation", operation, "namespace", call.namespace(), "id",
                    call.id(), "exception", e.getClass().getName());
        }
    }

    /**
     * Lets go of every shim (connections, logs, watchers) without stopping them or their containers, as berthd
     * does when it exits. Safe to call more than once.
     */
    @Override
    public void close() {
        closed = true;
        Subscription s = exits.get();
        if (s != null) {
            s.close();
        }
        exitWatcher.interrupt();
        for (ShimTask task : tasks.values()) {
            ignoring("close shim client", task.call, task.client::close);
            task.log.close();
        }
        tasks.clear();
    }
}
