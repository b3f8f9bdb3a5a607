package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.diff.Mounter;
import dev.berth.manager.engine.spec.SpecBuilder;
import dev.berth.manager.engine.spec.SpecRequest;
import dev.berth.manager.engine.volume.ContainerMount;
import dev.berth.manager.engine.volume.Volumes;
import dev.berth.manager.fs.TreeDeleter;
import dev.berth.manager.image.TemporaryLease;
import dev.berth.manager.metadata.AnyValue;
import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.metadata.EngineRecord;
import dev.berth.manager.metadata.EngineStore;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.metadata.NamespaceRecord;
import dev.berth.manager.snapshot.Mount;
import dev.berth.manager.task.ProcessRef;
import dev.berth.manager.task.TaskCreate;
import dev.berth.manager.task.TaskState;
import dev.berth.manager.task.TaskStatus;
import dev.berth.manager.task.Tasks;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.model.ContainerConfig;
import dev.berth.model.ContainerJson;
import dev.berth.model.ContainerSummary;
import dev.berth.model.DockerJson;
import dev.berth.model.EndpointSettings;
import dev.berth.model.Health;
import dev.berth.model.HostConfig;
import dev.berth.model.NetworkingConfig;
import dev.berth.model.PortBinding;
import dev.berth.sys.FdSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * docker's container model in berthd: containers with names, docker's states and exit codes, json-file logs,
 * attach, restart policies, health checks and events, over berthd's own stores and tasks (no gRPC loopback). A
 * container is an engine record ({@link EngineStore}), a containerd container holding the OCI spec, a rootfs
 * snapshot (key = id) on berthd's configured snapshotter, and, while it runs, a task whose stdio are FIFOs in the
 * engine's per-container directory {@code <state>/engine/<ns>/<id>/}; logs are at
 * {@code <root>/containers/<ns>/<id>/<id>-json.log}.
 *
 * <p>Every operation names its namespace. A container is named by id, unambiguous id prefix or name (with or
 * without the leading slash). Operations on one container are serialised by a lock of its own; waiting for an
 * exit happens outside it.
 */
public final class Engine implements AutoCloseable {
    private static final Log LOG = Log.of(Engine.class);
    static final String SPEC_TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
    private static final Duration DRAIN = Duration.ofSeconds(2);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private static final int DEFAULT_STOP_TIMEOUT = 10;

    private final EngineConfig config;
    private final MetadataDb db;
    private final Tasks tasks;
    private final Mounter mounter;
    private final FdSyscalls fifos;
    private final SpecBuilder specs;
    private final Volumes volumes;
    private final DockerEvents events;
    private final Clock clock;
    private final ImageResolver images;
    private final Names names = new Names();
    private final Restarts restarts;
    private final ScheduledExecutorService scheduler;
    private final Waits waits = new Waits();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, ContainerRun> runs = new ConcurrentHashMap<>();
    private final Map<String, Attachments> attachments = new ConcurrentHashMap<>();
    private final Execs execs;
    private final ContainerNetworking networking;
    private final java.util.concurrent.locks.ReentrantReadWriteLock imageLock =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    private volatile boolean closing;

    public Engine(EngineConfig config, MetadataDb db, Tasks tasks, Mounter mounter, FdSyscalls fifos,
                  SpecBuilder specs, Volumes volumes, ContainerNetworking networking, DockerEvents events,
                  Clock clock) {
        this.config = config;
        this.networking = networking;
        this.db = db;
        this.tasks = tasks;
        this.mounter = mounter;
        this.fifos = fifos;
        this.specs = specs;
        this.volumes = volumes;
        this.events = events;
        this.clock = clock;
        this.images = new ImageResolver(db);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("engine-scheduler").factory());
        this.restarts = new Restarts(scheduler);
        this.execs = new Execs(tasks, fifos, events);
    }

    /** The answer of {@link #create}. */
    public record Created(String id, List<String> warnings) {
    }

    // ---------------------------------------------------------------- create

    /**
     * Creates a container: name, image, merged configuration, rootfs snapshot (under a lease until the containerd
     * container holds it), volumes, OCI spec, containerd container and engine record. On failure nothing is left.
     */
    public Created create(String namespace, String name, ContainerConfig run, HostConfig hostConfig)
            throws IOException {
        return create(namespace, name, run, hostConfig, NetworkingConfig.EMPTY);
    }

    /** {@link #create} with docker's {@code NetworkingConfig} (aliases and {@code --ip} per network). */
    public Created create(String namespace, String name, ContainerConfig run, HostConfig hostConfig,
                          NetworkingConfig networkingConfig) throws IOException {
        ContainerConfig requested = run == null ? ContainerConfig.EMPTY : run;
        HostConfig host = hostConfig == null ? HostConfig.EMPTY : hostConfig;
        if (requested.image() == null || requested.image().isBlank()) {
            throw BerthException.invalidArgument("create container: no image given (Config.Image is empty)");
        }
        Restarts.validate(host);
        JsonFileLog.Options.of(host.logConfig());
        EngineStore store = db.engineContainers(namespace);
        String chosen = name == null || name.isEmpty() ? freeName(store) : Names.validate(name);
        Optional<EngineRecord> taken = store.getByName(chosen);
        if (taken.isPresent()) {
            throw Names.conflict(chosen, taken.get().key());
        }
        // held until the record exists: an image removal checks for users under the write lock
        var imageUse = imageLock.readLock();
        imageUse.lock();
        try {
            return create(namespace, store, chosen, requested, host, networkingConfig);
        } finally {
            imageUse.unlock();
        }
    }

    private Created create(String namespace, EngineStore store, String chosen, ContainerConfig requested,
                           HostConfig host, NetworkingConfig networkingConfig) throws IOException {
        ImageResolver.EngineImage image = images.find(namespace, requested.image());
        ContainerConfig merged = SpecBuilder.merge(image.config(), requested).toBuilder()
                .image(requested.image()).build();
        List<String> argv = new ArrayList<>();
        Optional.ofNullable(merged.entrypoint()).ifPresent(argv::addAll);
        Optional.ofNullable(merged.cmd()).ifPresent(argv::addAll);
        if (argv.isEmpty()) {
            throw BerthException.invalidArgument("No command specified");
        }
        String chainId = images.topSnapshot(namespace, image, config.snapshotter());
        String id = names.newId();
        Path dir = containerDir(namespace, id);
        Path rootfs = dir.resolve("rootfs");
        List<ContainerMount> mounts = List.of();
        boolean snapshot = false;
        boolean record = false;
        EngineContainer doc;
        try (TemporaryLease lease = TemporaryLease.create(db.leases(namespace), "engine-create", clock)) {
            try {
                List<Mount> rootMounts = db.snapshotter(namespace, config.snapshotter(), lease.ref())
                        .prepare(id, chainId, Map.of());
                snapshot = true;
                Files.createDirectories(rootfs);
                Optional<Path> netns = networking.prepare(id, host, networkingConfig, dir,
                        ref -> lookup(namespace, ref).id());
                merged = networking.joinedConfig(requested, merged, dir, other -> lookup(namespace, other));
                byte[] spec;
                mounter.mount(rootMounts, rootfs);
                try {
                    mounts = volumes.resolve(namespace, id, merged, host, rootfs, this::mountsOf);
                    spec = specs.build(new SpecRequest(namespace, id, chosen, merged, host, mounts, rootfs, dir,
                            netns));
                } finally {
                    mounter.unmount(rootfs);
                }
                Optional<String> joined = networking.joined(dir);
                if (joined.isPresent()) {
                    spec = ContainerNetworking.sharedEtc(spec, dir, containerDir(namespace, joined.get()));
                }
                Map<String, String> labels = merged.labels() == null ? Map.of() : merged.labels();
                db.containers(namespace).create(ContainerRecord.builder(id).image(image.record().name())
                        .labels(labels).runtime(new ContainerRecord.Runtime(config.runtime(), AnyValue.EMPTY))
                        .spec(new AnyValue(SPEC_TYPE_URL, spec)).snapshotter(config.snapshotter()).snapshotKey(id)
                        .build());
                record = true;
                doc = new EngineContainer(id, chosen, clock.instant().toString(), argv.getFirst(),
                        argv.subList(1, argv.size()), merged, host, image.id(), requested.image(),
                        config.snapshotter(), mounts, EngineContainer.RunState.created(), 0, false, false);
                try {
                    store.create(id, chosen, json(doc));
                } catch (BerthException e) {
                    if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                        throw Names.conflict(chosen, store.getByName(chosen).map(EngineRecord::key).orElse(""));
                    }
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                undoCreate(namespace, id, record, mounts, snapshot, dir);
                throw e;
            }
        }
        events.container(namespace, "create", doc, Map.of());
        return new Created(id, List.of());
    }

    private String freeName(EngineStore store) throws IOException {
        for (int retry = 0; ; retry++) {
            String n = names.generate(retry);
            if (store.getByName(n).isEmpty()) {
                return n;
            }
        }
    }

    private void undoCreate(String namespace, String id, boolean record, List<ContainerMount> mounts,
                            boolean snapshot, Path dir) {
        try {
            if (record) {
                db.containers(namespace).delete(id);
            }
            if (!mounts.isEmpty()) {
                volumes.release(namespace, id, mounts, true);
            }
            if (snapshot) {
                db.snapshotter(namespace, config.snapshotter(), Optional.empty()).remove(id);
            }
            TreeDeleter.delete(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("undo failed create", e, "namespace", namespace, "id", id);
        }
    }

    /** The mounts of another container, for {@code --volumes-from}. */
    private List<ContainerMount> mountsOf(String namespace, String ref) {
        try {
            return lookup(namespace, ref).mounts();
        } catch (IOException e) {
            throw BerthException.internal("volumes-from " + ref + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- start

    /** Starts the container's task; true if it was running already (docker's 304). */
    public boolean start(String namespace, String ref) throws IOException {
        return locked(namespace, ref, (c, key) -> {
            if (c.status() == ContainerStatus.RUNNING && runs.containsKey(key)) {
                return true;
            }
            c.status().checkStart(c.id());
            restarts.reset(key);
            startLocked(namespace, c.withRestarts(0, false, true));
            return false;
        });
    }

    /** What runs under a container's lock, on its freshly read record. */
    interface Locked<T> {
        T run(EngineContainer current, String key) throws IOException;
    }

    /** Runs {@code body} under the lock of the container {@code ref} names. */
    <T> T locked(String namespace, String ref, Locked<T> body) throws IOException {
        String id = lookup(namespace, ref).id();
        String key = key(namespace, id);
        ReentrantLock lock = lock(key);
        lock.lock();
        try {
            return body.run(reload(namespace, id), key);
        } finally {
            lock.unlock();
        }
    }

    private void startLocked(String namespace, EngineContainer c) throws IOException {
        String id = c.id();
        String key = key(namespace, id);
        deleteTask(namespace, id);
        ContainerRecord rec = db.containers(namespace).get(id);
        List<Mount> rootfs = db.snapshotter(namespace, c.snapshotter(), Optional.empty()).mounts(id);
        boolean tty = Boolean.TRUE.equals(c.config().tty());
        boolean stdin = Boolean.TRUE.equals(c.config().openStdin());
        ProcessIo io = ProcessIo.create(fifos, containerDir(namespace, id), "init", stdin, tty);
        LogSink log = JsonFileLog.open(c.hostConfig().logConfig(), logPath(namespace, id));
        Attachments att = attachments(key);
        ContainerRun run = new ContainerRun(io, log, att, clock, clock.instant());
        run.start();
        int pid;
        try {
            networking.setUp(namespace, c, containerDir(namespace, id));
            tasks.create(new TaskCreate(namespace, id, rec.runtime().name(), Optional.empty(), rec.spec().value(),
                    rootfs, io.stdio()));
            att.running(io);
            pid = tasks.start(ProcessRef.init(namespace, id));
        } catch (IOException | RuntimeException e) {
            deleteTask(namespace, id);
            networking.tearDown(namespace, id);
            io.close();
            run.closeLog();
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            EngineContainer.RunState s = c.state();
            save(namespace, c.withState(new EngineContainer.RunState(s.status(), 0, startFailureCode(message),
                    message, s.startedAt(), s.finishedAt(), false, null)));
            throw e;
        }
        Health health = c.config().healthcheck() == null || !HealthMonitor.enabled(c.config().healthcheck())
                ? null : new Health(HealthMonitor.STARTING, 0, List.of());
        EngineContainer started = c.withState(new EngineContainer.RunState(ContainerStatus.RUNNING.word(), pid, 0,
                "", run.startedAt.toString(), c.state().finishedAt(), false, health));
        save(namespace, started);
        runs.put(key, run);
        events.container(namespace, "start", started, Map.of());
        if (health != null) {
            run.health(monitor(namespace, started, rec.spec().value(), health, run.startedAt));
        }
        Thread.ofVirtual().name("exit-" + id.substring(0, 12)).start(() -> watch(namespace, id, run));
    }

    /** docker's exit codes for a process that could not be started: 127 not found, 126 not executable. */
    static int startFailureCode(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("no such file") || m.contains("not found")) {
            return 127;
        }
        if (m.contains("permission denied") || m.contains("is a directory") || m.contains("exec format error")) {
            return 126;
        }
        return 128;
    }

    private void watch(String namespace, String id, ContainerRun run) {
        ProcessExit exit;
        try {
            exit = tasks.wait(ProcessRef.init(namespace, id));
        } catch (RuntimeException e) {
            if (closing) {
                return;
            }
            LOG.warn("wait for container exit", e, "namespace", namespace, "id", id);
            exit = new ProcessExit(0, 255, clock.instant());
        }
        if (closing) {
            return; // berthd closes; the next one finds the task and waits again
        }
        try {
            exited(namespace, id, run, exit);
        } catch (IOException | RuntimeException e) {
            LOG.warn("record container exit", e, "namespace", namespace, "id", id);
            run.finished.complete(exit.exitStatus());
        }
    }

    /** Records an exit: state, events, waits, attached clients; then a restart or the auto-removal. */
    private void exited(String namespace, String id, ContainerRun run, ProcessExit exit) throws IOException {
        String key = key(namespace, id);
        try {
            run.io.awaitDrained(DRAIN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        run.stopHealth();
        run.flushPartial();
        run.io.close();
        run.closeLog();
        int code = exit.exitStatus();
        Optional<Duration> restart = Optional.empty();
        EngineContainer c;
        ReentrantLock lock = lock(key);
        lock.lock();
        try {
            runs.remove(key, run);
            deleteTask(namespace, id);
            networking.tearDown(namespace, id);
            Optional<EngineContainer> found = find(namespace, id);
            if (found.isEmpty() || found.get().status() == ContainerStatus.REMOVING) {
                run.finished.complete(code);
                attachments(key).ended(code);
                return;
            }
            c = found.get();
            Instant finished = exit.exitedAt() == null ? clock.instant() : exit.exitedAt();
            Duration ran = Duration.between(run.startedAt, finished);
            restart = restarts.decide(key, c.hostConfig(), code, c.manuallyStopped(), c.restartCount(), ran);
            ContainerStatus next = restart.isPresent() ? ContainerStatus.RESTARTING : ContainerStatus.EXITED;
            c = c.withState(new EngineContainer.RunState(next.word(), 0, code, "", c.state().startedAt(),
                    finished.toString(), false, c.state().health()))
                    .withRestarts(c.restartCount() + (restart.isPresent() ? 1 : 0), c.manuallyStopped(), true);
            save(namespace, c);
        } finally {
            lock.unlock();
        }
        attachments(key).ended(code);
        events.container(namespace, "die", c, Map.of("exitCode", Integer.toString(code)));
        waits.exited(key, code, restart.isPresent());
        run.finished.complete(code);
        if (restart.isPresent()) {
            restarts.schedule(key, restart.get(), () -> restartByPolicy(namespace, id));
        } else if (Boolean.TRUE.equals(c.hostConfig().autoRemove())) {
            try {
                remove(namespace, id, false, true);
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
    }

    private void restartByPolicy(String namespace, String id) {
        String key = key(namespace, id);
        ReentrantLock lock = lock(key);
        lock.lock();
        try {
            Optional<EngineContainer> c = find(namespace, id);
            if (c.isEmpty() || c.get().status() != ContainerStatus.RESTARTING || closing) {
                return;
            }
            try {
                startLocked(namespace, c.get());
            } catch (IOException | RuntimeException e) {
                LOG.warn("restart by policy", e, "namespace", namespace, "id", id);
                EngineContainer now = reload(namespace, id);
                save(namespace, now.withState(now.state().withStatus(ContainerStatus.EXITED)));
                waits.exited(key, now.state().exitCode(), false);
            }
        } catch (IOException e) {
            LOG.warn("restart by policy", e, "namespace", namespace, "id", id);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- stop, kill, restart

    /**
     * docker's stop: the stop signal, {@code timeout} seconds (the container's StopTimeout, else 10; negative to
     * wait for ever), then SIGKILL. A stop cancels the restart policy until the next start. True if the
     * container was not running.
     */
    public boolean stop(String namespace, String ref, OptionalInt timeout, String signal) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        String key = key(namespace, c.id());
        ContainerRun run;
        ReentrantLock lock = lock(key);
        lock.lock();
        try {
            c = reload(namespace, c.id());
            restarts.cancel(key);
            if (c.status() == ContainerStatus.RESTARTING) {
                save(namespace, c.withState(c.state().withStatus(ContainerStatus.EXITED))
                        .withRestarts(c.restartCount(), true, c.startedBefore()));
                waits.exited(key, c.state().exitCode(), false);
                return false;
            }
            run = runs.get(key);
            if (run == null || !c.status().hasTask()) {
                return true;
            }
            save(namespace, c.withRestarts(c.restartCount(), true, c.startedBefore()));
            int sig = Signals.parse(signal == null || signal.isEmpty() ? c.config().stopSignal() : signal,
                    Signals.SIGTERM);
            signal(namespace, c, sig);
        } finally {
            lock.unlock();
        }
        int seconds = timeout.isPresent() ? timeout.getAsInt()
                : c.config().stopTimeout() != null ? c.config().stopTimeout() : DEFAULT_STOP_TIMEOUT;
        if (!await(run.finished, seconds < 0 ? null : Duration.ofSeconds(seconds))) {
            try {
                tasks.kill(ProcessRef.init(namespace, c.id()), Signals.SIGKILL, true);
            } catch (BerthException e) {
                LOG.debug("kill after stop timeout", "id", c.id(), "error", e.getMessage());
            }
            if (!await(run.finished, KILL_WAIT)) {
                throw BerthException.internal("stop container " + c.id() + ": still running " + KILL_WAIT.toSeconds()
                        + " s after SIGKILL");
            }
        }
        events.container(namespace, "stop", c, Map.of());
        return false;
    }

    private void signal(String namespace, EngineContainer c, int sig) {
        tasks.kill(ProcessRef.init(namespace, c.id()), sig, false);
        events.container(namespace, "kill", c, Map.of("signal", Integer.toString(sig)));
        if (c.status() == ContainerStatus.PAUSED && sig != Signals.SIGKILL) {
            tasks.resume(namespace, c.id()); // a frozen process would not act on the signal
        }
    }

    /** docker's kill: {@code signal} (SIGKILL when empty) to the container's init. */
    public void kill(String namespace, String ref, String signal) throws IOException {
        int sig = Signals.parse(signal, Signals.SIGKILL);
        locked(namespace, ref, (current, key) -> {
            EngineContainer c = current;
            if (!c.status().hasTask() || !runs.containsKey(key)) {
                throw BerthException.failedPrecondition("Container " + c.id() + " is not running");
            }
            if (sig == Signals.SIGKILL) {
                restarts.cancel(key);
                c = c.withRestarts(c.restartCount(), true, c.startedBefore());
                save(namespace, c);
            }
            signal(namespace, c, sig);
            return null;
        });
    }

    /** docker's restart: a stop (if running), then a start. */
    public void restart(String namespace, String ref, OptionalInt timeout, String signal) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        stop(namespace, c.id(), timeout, signal);
        start(namespace, c.id());
        events.container(namespace, "restart", reload(namespace, c.id()), Map.of());
    }

    // ---------------------------------------------------------------- remove

    /**
     * Removes the container: refused while it runs unless {@code force} (then SIGKILL first); its task,
     * containerd container, snapshot, log, engine directory and record; its anonymous volumes with
     * {@code removeVolumes}.
     */
    public void remove(String namespace, String ref, boolean force, boolean removeVolumes) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        String key = key(namespace, c.id());
        ContainerRun run;
        ReentrantLock lock = lock(key);
        lock.lock();
        try {
            c = reload(namespace, c.id());
            if (c.status() == ContainerStatus.REMOVING) {
                throw BerthException.failedPrecondition("removal of container " + c.id() + " is already in progress");
            }
            run = runs.get(key);
            boolean running = c.status().isRunningForDocker() && (run != null
                    || c.status() == ContainerStatus.RESTARTING);
            if (running && !force) {
                String what = c.status() == ContainerStatus.PAUSED ? "paused" : "running";
                throw BerthException.failedPrecondition("You cannot remove a " + what + " container " + c.id()
                        + ". Stop the container before attempting removal or force remove");
            }
            restarts.cancel(key);
            save(namespace, c.withState(c.state().withStatus(ContainerStatus.REMOVING))
                    .withRestarts(c.restartCount(), true, c.startedBefore()));
            if (run != null) {
                tasks.kill(ProcessRef.init(namespace, c.id()), Signals.SIGKILL, true);
                if (c.status() == ContainerStatus.PAUSED) {
                    tasks.resume(namespace, c.id());
                }
            }
        } finally {
            lock.unlock();
        }
        if (run != null && !await(run.finished, KILL_WAIT)) {
            throw BerthException.internal("remove container " + c.id() + ": still running " + KILL_WAIT.toSeconds()
                    + " s after SIGKILL");
        }
        lock.lock();
        try {
            execs.forget(namespace, c.id());
            deleteTask(namespace, c.id());
            networking.tearDown(namespace, c.id());
            try {
                db.containers(namespace).delete(c.id());
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
            try {
                db.snapshotter(namespace, c.snapshotter(), Optional.empty()).remove(c.id());
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
            volumes.release(namespace, c.id(), c.mounts(), removeVolumes);
            TreeDeleter.delete(logPath(namespace, c.id()).getParent());
            TreeDeleter.delete(containerDir(namespace, c.id()));
            db.engineContainers(namespace).delete(c.id());
        } finally {
            lock.unlock();
            locks.remove(key);
        }
        attachments.remove(key);
        events.container(namespace, "destroy", c, Map.of());
        waits.removed(key, c.state().exitCode());
    }

    // ---------------------------------------------------------------- wait, pause, rename

    /**
     * Registers a wait for {@code condition} ("not-running", "next-exit", "removed"); the future ends with the
     * exit code. Registered when this returns, so a start that follows cannot be missed.
     */
    public CompletableFuture<Integer> waitFor(String namespace, String ref, String condition) throws IOException {
        Waits.Condition cond = Waits.Condition.parse(condition);
        return locked(namespace, ref, (c, key) -> cond == Waits.Condition.NOT_RUNNING
                && !c.status().isRunningForDocker() ? CompletableFuture.completedFuture(c.state().exitCode())
                : waits.add(key, cond));
    }

    public void pause(String namespace, String ref) throws IOException {
        transition(namespace, ref, true);
    }

    public void unpause(String namespace, String ref) throws IOException {
        transition(namespace, ref, false);
    }

    private void transition(String namespace, String ref, boolean pause) throws IOException {
        EngineContainer done = locked(namespace, ref, (c, key) -> {
            if (pause) {
                c.status().checkPause(c.id());
                tasks.pause(namespace, c.id());
            } else {
                c.status().checkUnpause(c.id());
                tasks.resume(namespace, c.id());
            }
            EngineContainer now = c.withState(c.state().withStatus(pause ? ContainerStatus.PAUSED
                    : ContainerStatus.RUNNING));
            save(namespace, now);
            return now;
        });
        events.container(namespace, pause ? "pause" : "unpause", done, Map.of());
    }

    /** docker's rename; the new name follows docker's rule and must be free. */
    public void rename(String namespace, String ref, String newName) throws IOException {
        String name = Names.validate(newName);
        locked(namespace, ref, (current, key) -> {
            EngineContainer c = current;
            if (name.equals(c.name())) {
                throw BerthException.invalidArgument("Renaming a container with the same name as its current "
                        + "name");
            }
            Optional<EngineRecord> taken = db.engineContainers(namespace).getByName(name);
            if (taken.isPresent()) {
                throw Names.conflict(name, taken.get().key());
            }
            String old = c.name();
            c = c.withName(name);
            try {
                db.engineContainers(namespace).rename(c.id(), name, json(c));
            } catch (BerthException e) {
                if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                    throw Names.conflict(name, db.engineContainers(namespace).getByName(name)
                            .map(EngineRecord::key).orElse(""));
                }
                throw e;
            }
            events.container(namespace, "rename", c, Map.of("oldName", "/" + old));
            return null;
        });
    }

    // ---------------------------------------------------------------- inspect, list

    public ContainerJson inspect(String namespace, String ref) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        return ContainerViews.inspect(c, logPath(namespace, c.id()), containerDir(namespace, c.id()),
                execs.idsOf(namespace, c.id()), networking.inspect(namespace, c.id()));
    }

    /** docker's {@code network connect} of a container (now if it runs, and at its next starts). */
    public void connect(String namespace, String ref, String network, EndpointSettings endpoint) throws IOException {
        networkChange(namespace, ref, (c, running) -> networking.connect(namespace, c, running,
                containerDir(namespace, c.id()), network, endpoint));
    }

    /** docker's {@code network disconnect} of a container. */
    public void disconnect(String namespace, String ref, String network) throws IOException {
        networkChange(namespace, ref, (c, running) -> networking.disconnect(namespace, c, running,
                containerDir(namespace, c.id()), network));
    }

    /**
     * docker's {@code network disconnect -f}: as {@link #disconnect}, and for a container that is gone, its
     * endpoints left on the network are released.
     */
    public void forceDisconnect(String namespace, String ref, String network) throws IOException {
        try {
            lookup(namespace, ref);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            networking.forceDisconnect(namespace, ref, network);
            return;
        }
        disconnect(namespace, ref, network);
    }

    private interface NetworkChange {
        void apply(EngineContainer c, boolean running) throws IOException;
    }

    private void networkChange(String namespace, String ref, NetworkChange change) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        String key = key(namespace, c.id());
        ReentrantLock lock = lock(key);
        lock.lock();
        try {
            c = reload(namespace, c.id());
            change.apply(c, runs.containsKey(key));
        } finally {
            lock.unlock();
        }
    }

    /** docker's {@code port}: the container's published ports with the host ports chosen at its start. */
    public Map<String, List<PortBinding>> port(String namespace, String ref) throws IOException {
        return networking.ports(namespace, lookup(namespace, ref).id());
    }

    /** docker's container list: running ones unless {@code all}; filters; the last {@code limit} created. */
    public List<ContainerSummary> list(String namespace, boolean all, Map<String, List<String>> filters, int limit)
            throws IOException {
        List<EngineContainer> every = new ArrayList<>();
        for (EngineRecord r : db.engineContainers(namespace).list()) {
            every.add(parse(r));
        }
        Map<String, EngineContainer> byId = new java.util.HashMap<>();
        every.forEach(c -> byId.put(c.id(), c));
        List<ContainerSummary> out = new ArrayList<>();
        for (ContainerSummary row : ContainerViews.list(every, all, filters, limit, clock.instant())) {
            ContainerSummary listed = networking.summary(namespace, byId.get(row.id()), row,
                    containerDir(namespace, row.id()));
            if (ContainerNetworking.matches(byId.get(row.id()), listed, filters)) {
                out.add(listed);
            }
        }
        return out;
    }

    /** Every container of the namespace (the image service's in-use check). */
    List<EngineContainer> containers(String namespace) throws IOException {
        List<EngineContainer> out = new ArrayList<>();
        for (EngineRecord r : db.engineContainers(namespace).list()) {
            out.add(parse(r));
        }
        return out;
    }

    /** Held for reading while a container is created on an image, for writing while an image is removed. */
    java.util.concurrent.locks.ReadWriteLock imageLock() {
        return imageLock;
    }

    /** docker's container prune: removes the stopped containers ({@code label}, {@code until} filters). */
    public List<String> prune(String namespace, Map<String, List<String>> filters) throws IOException {
        List<String> deleted = new ArrayList<>();
        Instant until = filters.getOrDefault("until", List.of()).stream().findFirst().map(Instant::parse)
                .orElse(null);
        for (EngineContainer c : containers(namespace)) {
            if (c.status().isRunningForDocker() || c.status() == ContainerStatus.REMOVING) {
                continue;
            }
            if (until != null && !Instant.parse(c.created()).isBefore(until)) {
                continue;
            }
            Map<String, String> labels = c.config().labels() == null ? Map.of() : c.config().labels();
            boolean labelled = filters.getOrDefault("label", List.of()).stream().allMatch(l -> l.contains("=")
                    ? l.substring(l.indexOf('=') + 1).equals(labels.get(l.substring(0, l.indexOf('='))))
                    : labels.containsKey(l));
            if (!labelled) {
                continue;
            }
            try {
                remove(namespace, c.id(), false, false);
                deleted.add(c.id());
            } catch (BerthException e) {
                LOG.debug("prune: container kept", "id", c.id(), "error", e.getMessage());
            }
        }
        return deleted;
    }

    /** docker's top: {@code ps} on the host with {@code psArgs} (default -ef), the rows of the container's pids. */
    public Top top(String namespace, String ref, String psArgs) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        if (!runs.containsKey(key(namespace, c.id()))) {
            throw BerthException.failedPrecondition("Container " + c.id() + " is not running");
        }
        java.util.Set<String> pids = new java.util.HashSet<>();
        tasks.pids(namespace, c.id()).forEach(p -> pids.add(Integer.toString(p.pid())));
        return Top.run(psArgs == null || psArgs.isBlank() ? "-ef" : psArgs, pids);
    }

    /** What runs on a container's root filesystem (docker's archive operations). */
    public interface OnRootfs<T> {
        T run(Path rootfs, List<ContainerMount> mounts, boolean readOnlyRootfs) throws IOException;
    }

    /**
     * Runs {@code body} on the container's root filesystem, under the container's lock: the task's mounted rootfs
     * while it runs, otherwise its snapshot mounted for the call.
     */
    public <T> T onRootfs(String namespace, String ref, OnRootfs<T> body) throws IOException {
        return locked(namespace, ref, (c, key) -> {
            boolean readOnly = Boolean.TRUE.equals(c.hostConfig().readonlyRootfs());
            if (runs.containsKey(key)) {
                return body.run(config.bundles().resolve(namespace).resolve(c.id()).resolve("rootfs"), c.mounts(),
                        readOnly);
            }
            Path rootfs = Files.createDirectories(containerDir(namespace, c.id()).resolve("rootfs"));
            mounter.mount(db.snapshotter(namespace, c.snapshotter(), Optional.empty()).mounts(c.id()), rootfs);
            try {
                return body.run(rootfs, c.mounts(), readOnly);
            } finally {
                mounter.unmount(rootfs);
            }
        });
    }

    // ---------------------------------------------------------------- logs, attach, resize

    /** The container's json-file log, selected and, with follow, followed until it stops. */
    public void logs(String namespace, String ref, LogQuery query, LogLines sink,
                     java.util.function.BooleanSupplier cancelled) throws IOException, InterruptedException {
        EngineContainer c = lookup(namespace, ref);
        JsonFileLog.Options o = JsonFileLog.Options.of(c.hostConfig().logConfig());
        if (o.none()) {
            throw BerthException.failedPrecondition("configured logging driver does not support reading");
        }
        String id = c.id();
        new LogReader(logPath(namespace, id), o.maxFiles()).read(query, sink, () -> mayWrite(namespace, id),
                cancelled);
    }

    /** Whether the container runs or is about to run again (a follow of its log goes on). */
    private boolean mayWrite(String namespace, String id) {
        if (runs.containsKey(key(namespace, id))) {
            return true;
        }
        try {
            return find(namespace, id).map(c -> c.status() == ContainerStatus.RESTARTING).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** Attaches {@code listener} to the container's output (its next run if it is not running). */
    public Attachment attach(String namespace, String ref, OutputListener listener) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        if (c.status() == ContainerStatus.PAUSED) {
            throw BerthException.failedPrecondition("container " + c.id() + " is paused, unpause the container "
                    + "before attach");
        }
        if (c.status() == ContainerStatus.RESTARTING) {
            throw BerthException.failedPrecondition("container " + c.id() + " is restarting, wait until the "
                    + "container is running");
        }
        Attachments att = attachments(key(namespace, c.id()));
        att.add(listener);
        String id = c.id();
        // the shim keeps its own end of the stdin FIFO open: the process sees end-of-file once it is told to close
        Runnable closeTaskStdin = () -> {
            try {
                tasks.closeStdin(ProcessRef.init(namespace, id));
            } catch (BerthException e) {
                LOG.debug("close stdin", "id", id, "error", e.getMessage());
            }
        };
        return new Attachment(id, att, listener, Boolean.TRUE.equals(c.config().stdinOnce()), closeTaskStdin);
    }

    /** One attached client: its stdin, and its detach. */
    public static final class Attachment implements AutoCloseable {
        private final String id;
        private final Attachments attachments;
        private final OutputListener listener;
        private final boolean stdinOnce;
        private final Runnable closeTaskStdin;

        Attachment(String id, Attachments attachments, OutputListener listener, boolean stdinOnce,
                   Runnable closeTaskStdin) {
            this.id = id;
            this.attachments = attachments;
            this.listener = listener;
            this.stdinOnce = stdinOnce;
            this.closeTaskStdin = closeTaskStdin;
        }

        public String id() {
            return id;
        }

        /** Sends stdin; false if the container has none (no {@code -i}). */
        public boolean stdin(byte[] data) throws IOException {
            return attachments.writeStdin(data);
        }

        /** The client's stdin ended: the container's stdin closes. */
        public void closeStdin() {
            attachments.closeStdin();
            closeTaskStdin.run();
        }

        @Override
        public void close() {
            attachments.remove(listener);
            if (stdinOnce) {
                closeStdin();
            }
        }
    }

    public void resize(String namespace, String ref, int width, int height) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        if (!runs.containsKey(key(namespace, c.id()))) {
            throw BerthException.failedPrecondition("Container " + c.id() + " is not running");
        }
        tasks.resizePty(ProcessRef.init(namespace, c.id()), width, height);
    }

    // ---------------------------------------------------------------- exec

    /** The exec processes' side of the engine (create, start, inspect, resize). */
    public Execs execs() {
        return execs;
    }

    /** Creates an exec in a running container (docker's ExecCreate). */
    public String execCreate(String namespace, String ref, dev.berth.model.ExecConfig exec) throws IOException {
        EngineContainer c = lookup(namespace, ref);
        if (!runs.containsKey(key(namespace, c.id())) || c.status() != ContainerStatus.RUNNING) {
            throw BerthException.failedPrecondition(c.status() == ContainerStatus.PAUSED
                    ? "Container " + c.id() + " is paused, unpause the container before exec"
                    : "Container " + c.id() + " is not running");
        }
        ContainerRecord rec = db.containers(namespace).get(c.id());
        String id = execs.create(namespace, c, rec.spec().value(), exec, containerDir(namespace, c.id()));
        events.container(namespace, "exec_create: " + String.join(" ", exec.cmd() == null ? List.of()
                : exec.cmd()), c, Map.of("execID", id));
        return id;
    }

    // ---------------------------------------------------------------- recovery

    /**
     * After berthd started (and its task recovery ran): re-attaches to the containers whose tasks live on,
     * records the exits that happened meanwhile, and starts the containers docker's restore would (an
     * {@code always} one, an {@code unless-stopped} one not stopped by hand, an {@code on-failure} one that
     * failed).
     */
    public void recover() throws IOException {
        for (NamespaceRecord ns : db.namespaces().list()) {
            for (EngineRecord r : db.engineContainers(ns.name()).list()) {
                EngineContainer c = parse(r);
                try {
                    recover(ns.name(), c);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("recover container", e, "namespace", ns.name(), "id", c.id());
                }
            }
        }
    }

    private void recover(String namespace, EngineContainer c) throws IOException {
        String key = key(namespace, c.id());
        ReentrantLock lock = lock(key);
        lock.lock();
        try {
            Optional<TaskState> task = taskOf(namespace, c.id());
            boolean alive = task.isPresent() && (task.get().status() == TaskStatus.RUNNING
                    || task.get().status() == TaskStatus.PAUSED || task.get().status() == TaskStatus.PAUSING);
            if (alive && c.status().hasTask()) {
                reattach(namespace, c);
                return;
            }
            if (c.status() == ContainerStatus.REMOVING) {
                return;
            }
            networking.tearDown(namespace, c.id()); // its task is gone: so are its uses of the network
            if (c.status().isRunningForDocker()) {
                int code = task.filter(t -> t.status() == TaskStatus.STOPPED).map(TaskState::exitStatus).orElse(255);
                deleteTask(namespace, c.id());
                c = c.withState(new EngineContainer.RunState(ContainerStatus.EXITED.word(), 0, code, "",
                        c.state().startedAt(), clock.instant().toString(), false, c.state().health()));
                save(namespace, c);
                events.container(namespace, "die", c, Map.of("exitCode", Integer.toString(code)));
            }
            if (Restarts.atDaemonStart(c.hostConfig(), c.manuallyStopped(), c.state().exitCode(),
                    c.restartCount(), c.startedBefore())) {
                startLocked(namespace, c.withRestarts(c.restartCount(), false, true));
            }
        } finally {
            lock.unlock();
        }
    }

    private void reattach(String namespace, EngineContainer c) throws IOException {
        String key = key(namespace, c.id());
        boolean tty = Boolean.TRUE.equals(c.config().tty());
        boolean stdin = Boolean.TRUE.equals(c.config().openStdin());
        ProcessIo io = ProcessIo.create(fifos, containerDir(namespace, c.id()), "init", stdin, tty);
        LogSink log = JsonFileLog.open(c.hostConfig().logConfig(), logPath(namespace, c.id()));
        Attachments att = attachments(key);
        Instant started = c.state().startedAt().isEmpty() ? clock.instant() : Instant.parse(c.state().startedAt());
        ContainerRun run = new ContainerRun(io, log, att, clock, started);
        run.start();
        att.running(io);
        runs.put(key, run);
        if (c.state().health() != null && HealthMonitor.enabled(c.config().healthcheck())) {
            byte[] spec = db.containers(namespace).get(c.id()).spec().value();
            run.health(monitor(namespace, c, spec, c.state().health(), started));
        }
        String id = c.id();
        Thread.ofVirtual().name("exit-" + id.substring(0, 12)).start(() -> watch(namespace, id, run));
    }

    // ---------------------------------------------------------------- health

    private HealthMonitor monitor(String namespace, EngineContainer c, byte[] spec, Health initial,
                                  Instant startedAt) {
        Path dir = containerDir(namespace, c.id());
        return HealthMonitor.start(scheduler, (cmd, timeout) -> execs.run(namespace, c, spec, cmd, dir, timeout),
                c.config().healthcheck(), initial, startedAt, clock, h -> updateHealth(namespace, c.id(), h));
    }

    private void updateHealth(String namespace, String id, HealthMonitor.Result result) {
        String key = key(namespace, id);
        ReentrantLock lock = lock(key);
        EngineContainer c;
        lock.lock();
        try {
            Optional<EngineContainer> found = find(namespace, id);
            if (found.isEmpty() || found.get().status() != ContainerStatus.RUNNING) {
                return;
            }
            c = found.get().withState(found.get().state().withHealth(result.health()));
            save(namespace, c);
        } catch (IOException e) {
            LOG.warn("record health", e, "namespace", namespace, "id", id);
            return;
        } finally {
            lock.unlock();
        }
        if (result.changed()) {
            events.container(namespace, "health_status: " + result.health().status(), c, Map.of());
        }
    }

    // ---------------------------------------------------------------- records

    /**
     * The container {@code ref} names: full id, name (with or without the leading slash), or an unambiguous id
     * prefix; NOT_FOUND as docker's "No such container".
     */
    EngineContainer lookup(String namespace, String ref) throws IOException {
        EngineStore store = db.engineContainers(namespace);
        String r = ref == null ? "" : ref;
        if (r.isEmpty()) {
            throw BerthException.notFound("No such container: " + r);
        }
        Optional<EngineRecord> rec = store.get(r);
        if (rec.isEmpty()) {
            rec = store.getByName(r.startsWith("/") ? r.substring(1) : r);
        }
        if (rec.isEmpty() && r.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            List<EngineRecord> candidates = store.withKeyPrefix(r);
            if (candidates.size() > 1) {
                throw BerthException.invalidArgument("multiple IDs found with provided prefix: " + r);
            }
            rec = candidates.stream().findFirst();
        }
        return parse(rec.orElseThrow(() -> BerthException.notFound("No such container: " + r)));
    }

    /** The id of the container {@code ref} names. */
    public String resolve(String namespace, String ref) throws IOException {
        return lookup(namespace, ref).id();
    }

    private Optional<EngineContainer> find(String namespace, String id) throws IOException {
        Optional<EngineRecord> r = db.engineContainers(namespace).get(id);
        return r.isEmpty() ? Optional.empty() : Optional.of(parse(r.get()));
    }

    private EngineContainer reload(String namespace, String id) throws IOException {
        return find(namespace, id).orElseThrow(() -> BerthException.notFound("No such container: " + id));
    }

    /** The pid of the container's init as its record has it (0 when it does not run). */
    int pid(String namespace, String id) throws IOException {
        return find(namespace, id).map(c -> c.state().pid()).orElse(0);
    }

    /** Whether the container's task runs now (running or paused, not between restarts). */
    boolean hasRunningTask(String namespace, String id) {
        return runs.containsKey(key(namespace, id));
    }

    void save(String namespace, EngineContainer c) throws IOException {
        db.engineContainers(namespace).update(c.id(), json(c));
    }

    private static String json(EngineContainer c) {
        return new String(DockerJson.write(c), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static EngineContainer parse(EngineRecord r) {
        EngineContainer c = DockerJson.read(r.json().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                EngineContainer.class, "container record " + r.key());
        return c.name().equals(r.name()) ? c : c.withName(r.name());
    }

    private Optional<TaskState> taskOf(String namespace, String id) {
        try {
            return Optional.of(tasks.get(ProcessRef.init(namespace, id)));
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Deletes the container's task if it has one that is not running (a leftover of an earlier run). */
    private void deleteTask(String namespace, String id) {
        try {
            tasks.delete(namespace, id);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                LOG.debug("delete task", "namespace", namespace, "id", id, "error", e.getMessage());
            }
        } catch (IOException e) {
            LOG.warn("delete task", e, "namespace", namespace, "id", id);
        }
    }

    private static boolean await(CompletableFuture<Integer> f, Duration timeout) {
        try {
            if (timeout == null) {
                f.get();
            } else {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ReentrantLock lock(String key) {
        return locks.computeIfAbsent(key, k -> new ReentrantLock());
    }

    private Attachments attachments(String key) {
        return attachments.computeIfAbsent(key, k -> new Attachments());
    }

    private static String key(String namespace, String id) {
        return namespace + "/" + id;
    }

    Path containerDir(String namespace, String id) {
        return config.state().resolve(namespace).resolve(id);
    }

    Path logPath(String namespace, String id) {
        return config.logs().resolve(namespace).resolve(id).resolve(id + "-json.log");
    }

    /**
     * Lets go of the running containers without stopping them (they outlive berthd, as the tasks do): stops
     * reading their output (the FIFOs stay for the next berthd) and cancels pending restarts.
     */
    @Override
    public void close() {
        closing = true;
        restarts.close();
        scheduler.shutdownNow();
        for (ContainerRun run : runs.values()) {
            run.stopHealth();
            run.io.detach();
            run.closeLog();
        }
        runs.clear();
    }
}
