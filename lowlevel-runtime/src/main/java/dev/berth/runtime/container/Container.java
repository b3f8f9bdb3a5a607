package dev.berth.runtime.container;

import static dev.berth.runtime.container.ContainerException.Kind.FAILED_PRECONDITION;
import static dev.berth.runtime.container.ContainerException.Kind.INTERNAL;

import dev.berth.runtime.cgroup.Cgroup;
import dev.berth.runtime.cgroup.CgroupException;
import dev.berth.runtime.cgroup.CgroupStats;
import dev.berth.runtime.cgroup.Cgroups;
import dev.berth.runtime.cgroup.FreezerState;
import dev.berth.runtime.namespace.NamespaceKind;
import dev.berth.runtime.namespace.NamespacePlan;
import dev.berth.runtime.process.InitException;
import dev.berth.runtime.process.ParentProcess;
import dev.berth.runtime.process.PlanBuilder;
import dev.berth.runtime.process.ProcessSetup;
import dev.berth.runtime.process.StartSignal;
import dev.berth.runtime.spec.Features;
import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonObject;
import dev.berth.runtime.spec.LinuxResources;
import dev.berth.runtime.spec.Spec;
import dev.berth.sys.Errno;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container under the runtime's root: its lifecycle after create (start, kill, pause, resume, exec, delete)
 * and its state. Each operation checks the current {@link ContainerStatus} first; an illegal transition is a
 * FAILED_PRECONDITION whose message keeps runc's wording.
 */
public final class Container {
    static final String OCI_VERSION = Features.OCI_VERSION_MAX;
    private static final int SIGKILL = 9;

    private final OciRuntime runtime;
    private final Path dir;
    private final ContainerState state;
    private Cgroup cgroup;

    Container(OciRuntime runtime, Path dir, ContainerState state) {
        this.runtime = runtime;
        this.dir = dir;
        this.state = state;
    }

    public String id() {
        return state.id();
    }

    /** The host pid of the container's init process. */
    public int pid() {
        return state.initPid();
    }

    public String bundle() {
        return state.bundle();
    }

    public String created() {
        return state.created();
    }

    private Path fifo() {
        return dir.resolve("exec.fifo");
    }

    private Cgroup cgroup() {
        if (cgroup == null) {
            cgroup = Cgroups.load(state.cgroupPaths(), runtime.cgroupHost());
        }
        return cgroup;
    }

    /** The container's process as its config.json describes it: the base of {@code exec} without --process. */
    public Spec.Process configProcess() {
        return spec().process();
    }

    private Spec spec() {
        return Spec.fromJson(new JsonObject(state.config(), ""));
    }

    /** The status now, derived from the init process, exec.fifo and the freezer. */
    public ContainerStatus status() {
        var start = ProcStat.liveStartTime(state.initPid());
        if (start.isEmpty() || start.getAsLong() != state.initStartTime()) {
            return ContainerStatus.STOPPED;
        }
        if (Files.exists(fifo())) {
            return ContainerStatus.CREATED;
        }
        try {
            if (cgroup().freezerState() == FreezerState.FROZEN) {
                return ContainerStatus.PAUSED;
            }
        } catch (CgroupException e) {
            // no freezer: the container cannot be paused
        }
        return ContainerStatus.RUNNING;
    }

    /** The runtime spec's state document, as {@code state} prints it. */
    public Map<String, Object> ociState() {
        ContainerStatus status = status();
        return ociState(OCI_VERSION, id(), status == ContainerStatus.STOPPED ? 0 : state.initPid(), status,
                state.bundle(), state.rootfs(), state.created(), state.annotations());
    }

    static Map<String, Object> ociState(String version, String id, int pid, ContainerStatus status, String bundle,
                                        String rootfs, String created, Map<String, String> annotations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", version == null || version.isEmpty() ? OCI_VERSION : version);
        m.put("id", id);
        m.put("pid", (long) pid);
        m.put("status", status.word());
        m.put("bundle", bundle);
        m.put("rootfs", rootfs);
        m.put("created", created);
        m.put("owner", "");
        if (!annotations.isEmpty()) {
            m.put("annotations", annotations);
        }
        return m;
    }

    /**
     * Releases the init process from exec.fifo; it runs the startContainer hooks and execs the user process, and
     * then the poststart hooks run. A failing startContainer hook fails start and leaves the container stopped.
     */
    public void start() {
        String op = "start " + id();
        ContainerStatus status = status();
        if (!status.canStart()) {
            throw new ContainerException(FAILED_PRECONDITION, op + ": " + switch (status) {
                case STOPPED -> "cannot start a container that has stopped";
                case RUNNING, PAUSED -> "cannot start an already running container";
                default -> "cannot start a container in the " + status.word() + " state";
            });
        }
        releaseFifo(op);
        // the container was started: poststart sees "running" even if its process has already exited
        HookRunner.runAll(runtime.sys(), "poststart", spec().hooks().poststart(), Json.write(ociState(OCI_VERSION,
                id(), state.initPid(), ContainerStatus.RUNNING, state.bundle(), state.rootfs(), state.created(),
                state.annotations())), runtime::warn);
    }

    /**
     * Opening exec.fifo for reading completes the init's blocked open for writing. The open blocks until then, so
     * it runs on another thread while this one watches that the init is still alive. The read lasts until EOF: the
     * init writes "0" after the startContainer hooks and keeps its end open until the execve of the user process,
     * or writes its error (see {@link StartSignal}).
     */
    private void releaseFifo(String op) {
        Path fifo = fifo();
        FutureTask<byte[]> read = new FutureTask<>(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            }
        });
        // a platform thread: a virtual one would pull in classes the AOT cache does not hold
        Thread.ofPlatform().daemon().name("exec-fifo-" + id()).start(read);
        while (true) {
            try {
                byte[] data = read.get(50, TimeUnit.MILLISECONDS);
                if (!released(op, data)) {
                    throw new ContainerException(INTERNAL, op + ": cannot start a container that has stopped");
                }
                break;
            } catch (TimeoutException e) {
                if (status() == ContainerStatus.STOPPED) {
                    // A process that exits at once (true) can be gone before this poll sees the read complete:
                    // whether the init was released is the read's answer, not the status's.
                    if (released(op, readLate(read, fifo))) {
                        break;
                    }
                    throw new ContainerException(FAILED_PRECONDITION,
                            op + ": cannot start a container that has stopped");
                }
            } catch (ExecutionException e) {
                throw new ContainerException(INTERNAL, op + ": read " + fifo + ": " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException(INTERNAL, op + ": interrupted");
            }
        }
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new ContainerException(INTERNAL, op + ": remove " + fifo + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the fifo's content says the user process was executed. The init's error (a startContainer hook that
     * failed, an execve that failed) fails start; the init has exited then, and whatever is left in the container
     * (a process a hook left behind) is killed: the container is stopped, as the runtime spec asks.
     */
    private boolean released(String op, byte[] data) {
        try {
            return StartSignal.released(data);
        } catch (InitException e) {
            ContainerException failed = new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
            try {
                killAndWait(op);
            } catch (ContainerException | CgroupException stop) {
                failed.addSuppressed(stop);
            }
            throw failed;
        }
    }

    /**
     * The fifo's content once the init is gone: what the reader got, or nothing; a reader still blocked in
     * open(2) is released by opening the other end here.
     */
    private static byte[] readLate(FutureTask<byte[]> read, Path fifo) {
        try {
            return read.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            try (var unblock = Files.newOutputStream(fifo)) {
                unblock.flush();
            } catch (IOException ignored) {
                // nothing left to unblock
            }
            return new byte[0];
        } catch (ExecutionException e) {
            return new byte[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new byte[0];
        }
    }

    /** Sends a signal to the init, or with {@code all} to every process in the container's cgroup. */
    public void kill(int signal, boolean all) {
        String op = "kill " + id();
        ContainerStatus status = status();
        if (!all && !status.canKill()) {
            throw new ContainerException(FAILED_PRECONDITION, op + ": container not running");
        }
        try {
            if (all) {
                signalAll(signal);
            } else {
                runtime.sys().kill(state.initPid(), signal);
            }
        } catch (SyscallException e) {
            if (e.errno() == Errno.ESRCH) {
                throw new ContainerException(FAILED_PRECONDITION, op + ": container not running");
            }
            throw new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
        }
    }

    private void signalAll(int signal) {
        Cgroup cg = cgroup();
        // freeze first so that no process forks away between listing and signalling, as runc does
        boolean frozen = false;
        try {
            cg.freeze();
            frozen = true;
        } catch (CgroupException e) {
            // without a freezer, signal what is there
        }
        try {
            for (long pid : cg.pids()) {
                try {
                    runtime.sys().kill((int) pid, signal);
                } catch (SyscallException e) {
                    if (e.errno() != Errno.ESRCH) {
                        throw e;
                    }
                }
            }
        } finally {
            if (frozen) {
                cg.thaw();
            }
        }
    }

    public void pause() {
        String op = "pause " + id();
        if (!status().canPause()) {
            throw new ContainerException(FAILED_PRECONDITION, op + ": container not running");
        }
        try {
            cgroup().freeze();
        } catch (CgroupException e) {
            throw new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
        }
    }

    public void resume() {
        String op = "resume " + id();
        if (!status().canResume()) {
            throw new ContainerException(FAILED_PRECONDITION, op + ": container not paused");
        }
        try {
            cgroup().thaw();
        } catch (CgroupException e) {
            throw new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
        }
    }

    /** Pids of every process in the container (host view). */
    public List<Integer> pids() {
        return cgroup().pids().stream().map(Long::intValue).toList();
    }

    public CgroupStats stats() {
        return cgroup().stats();
    }

    public long oomKillCount() {
        return cgroup().oomKillCount();
    }

    /** Changes the container's resource limits. */
    public void update(LinuxResources resources) {
        String op = "update " + id();
        if (status() == ContainerStatus.STOPPED) {
            throw new ContainerException(FAILED_PRECONDITION, op + ": container not running");
        }
        try {
            cgroup().set(resources);
        } catch (CgroupException e) {
            throw new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
        }
    }

    /** Starts one more process in the container's namespaces and cgroup; returns its host pid. */
    public int exec(Spec.Process process, ExecOptions options) {
        String op = "exec " + id();
        ContainerStatus status = status();
        if (!status.canExec()) {
            throw new ContainerException(FAILED_PRECONDITION, op + ": " + (status == ContainerStatus.PAUSED
                    ? "cannot exec in a paused container" : "cannot exec in a stopped container"));
        }
        Validation.checkProcess(process, options.consoleSocket() != null);
        ProcessSetup setup = ProcessResolver.resolve(process, spec().linux());
        Map<NamespaceKind, String> listed = new EnumMap<>(NamespaceKind.class);
        state.namespaces().forEach((type, path) -> NamespaceKind.fromSpecName(type).ifPresent(k -> listed.put(k, path)));
        Cgroup cg = cgroup();
        List<String> joins = cg.joinFiles().stream().map(Path::toString).toList();
        int consoleFd = ConsoleSocket.connect(runtime.sys(), options.consoleSocket());
        try {
            int pid = runtime.parent().run(
                    PlanBuilder.forExec(NamespacePlan.forExec(listed, state.initPid()), state.initPid(), setup,
                            options.preserveFds(), joins),
                    new ParentProcess.Launch(options.preserveFds(), options.stdio(), consoleFd, true),
                    new ParentProcess.Callbacks() {
                        @Override
                        public void onSpawned(int initPid) {
                            if (joins.isEmpty()) {
                                cg.apply(initPid);
                            }
                        }

                        @Override
                        public byte[] onHooks(int containerPid) {
                            throw new InitException("exec: unexpected hooks request");
                        }
                    });
            if (options.pidFile() != null) {
                AtomicFiles.write(options.pidFile(), Integer.toString(pid), AtomicFiles.SHARED);
            }
            return pid;
        } catch (InitException | CgroupException | SyscallException e) {
            throw new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
        } finally {
            ConsoleSocket.release(runtime.sys(), options.consoleSocket(), consoleFd);
        }
    }

    /**
     * Removes the container: its processes (with {@code force}, or when it was only created), its cgroup and its
     * state; then runs the poststop hooks.
     */
    public void delete(boolean force) {
        String op = "delete " + id();
        ContainerStatus status = status();
        if (!status.canDeleteWithoutForce() && !force) {
            throw new ContainerException(FAILED_PRECONDITION,
                    op + ": cannot delete container " + id() + " that is not stopped: " + status.word());
        }
        // a stopped init may leave processes behind (exec'd ones, or any without a pid namespace of its own)
        if (status != ContainerStatus.STOPPED || !cgroup().pids().isEmpty()) {
            killAndWait(op);
        }
        try {
            cgroup().destroy();
        } catch (CgroupException e) {
            throw new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
        }
        Spec spec = spec();
        ContainerCreator.deleteTree(dir);
        HookRunner.runAll(runtime.sys(), "poststop", spec.hooks().poststop(), Json.write(ociState(OCI_VERSION, id(), 0,
                ContainerStatus.STOPPED, state.bundle(), state.rootfs(), state.created(), state.annotations())),
                runtime::warn);
    }

    private void killAndWait(String op) {
        Cgroup cg = cgroup();
        try {
            if (status() == ContainerStatus.PAUSED) {
                cg.thaw();
            }
            signalAll(SIGKILL);
            runtime.sys().kill(state.initPid(), SIGKILL);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ESRCH) {
                throw new ContainerException(INTERNAL, op + ": " + e.getMessage(), e);
            }
        }
        // The init is not our child (after create it belongs to the caller's subreaper): poll until it is a
        // zombie or gone, and until the cgroup is empty.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            boolean initGone = ProcStat.liveStartTime(state.initPid()).isEmpty();
            if (initGone && cg.pids().isEmpty()) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException(INTERNAL, op + ": interrupted");
            }
        }
        throw new ContainerException(INTERNAL, op + ": processes still running after SIGKILL");
    }
}
