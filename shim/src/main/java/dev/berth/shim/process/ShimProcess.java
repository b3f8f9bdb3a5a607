package dev.berth.shim.process;

import dev.berth.api.events.TaskExit;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.io.ProcessIo;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What the init and exec'd processes share: the status, the pid, the exit once reaped, and the rule that the exit
 * event follows the start event even when the process ends before its start has been reported.
 */
public abstract sealed class ShimProcess permits InitProcess, ExecProcess {
    protected final String containerId;
    protected final String id;
    protected final EventSink events;
    private final ProcessStdio stdio;
    private final CompletableFuture<Reaper.Exit> stopped = new CompletableFuture<>();
    private ProcessStatus status = ProcessStatus.CREATED;
    private int pid;
    private Reaper.Exit exit;
    private boolean starting;
    private ProcessIo io;

    /** The paths a client passed for the process's streams, reported back by State. */
    public record ProcessStdio(String stdin, String stdout, String stderr, boolean terminal) {}

    ShimProcess(String containerId, String id, ProcessStdio stdio, EventSink events) {
        this.containerId = containerId;
        this.id = id;
        this.stdio = stdio;
        this.events = events;
    }

    /** The process id: the container id for the init, else the exec id. */
    public String id() {
        return id;
    }

    public ProcessStdio stdio() {
        return stdio;
    }

    public synchronized ProcessStatus status() {
        return status;
    }

    public synchronized int pid() {
        return pid;
    }

    public synchronized Optional<Reaper.Exit> exit() {
        return Optional.ofNullable(exit);
    }

    /** Blocks until the process has stopped and returns its exit. */
    public Reaper.Exit awaitExit() {
        try {
            return stopped.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineException.Kind.INTERNAL, "wait " + name() + ": interrupted");
        } catch (ExecutionException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "wait " + name() + ": " + e.getCause());
        }
    }

    /** Keeps the process's streams until Delete; called once the runtime has created the process. */
    final synchronized void attachIo(ProcessIo io) {
        this.io = io;
    }

    /** ResizePty: sets the window size of the process's terminal; nothing without one. */
    public void resizePty(int width, int height) {
        Optional<ProcessIo> current = currentIo();
        current.ifPresent(i -> i.resize(width, height));
    }

    /** CloseIO with stdin: the process's input ends once the client has closed its end too. */
    public void closeStdin() {
        currentIo().ifPresent(ProcessIo::closeStdin);
    }

    /** Ends the process's streams (Delete): lets the output drain briefly, then closes them. */
    final void closeIo() {
        ProcessIo current;
        synchronized (this) {
            current = io;
            io = null;
        }
        if (current != null) {
            current.close();
        }
    }

    private synchronized Optional<ProcessIo> currentIo() {
        return Optional.ofNullable(io);
    }

    /** Starts the process: checks the status, runs {@link #launch()}, reports the start, then any early exit. */
    public final int start() {
        synchronized (this) {
            if (!status.canStart() || starting) {
                throw status.illegal("start", name());
            }
            starting = true;
        }
        try {
            launch();
        } catch (RuntimeException e) {
            synchronized (this) {
                starting = false;
                if (exit != null) {
                    stop();
                }
            }
            throw e;
        }
        synchronized (this) {
            starting = false;
            status = ProcessStatus.RUNNING;
            publishStarted(pid);
            if (exit != null) {
                stop();
            }
            return pid;
        }
    }

    /** Starts the program (for an exec) or lets the created one run (for the init); may call {@link #created}. */
    abstract void launch();

    abstract void publishStarted(int pid);

    /** Records the pid and hands the exit, once reaped, to {@link #exited}. */
    final synchronized void created(int pid, CompletableFuture<Reaper.Exit> exit) {
        this.pid = pid;
        exit.thenAccept(this::exited);
    }

    /** Takes over a process an earlier server started: its pid, its status then, and its exit once reported. */
    final void adopt(int pid, ProcessStatus now, CompletableFuture<Reaper.Exit> exit) {
        synchronized (this) {
            this.pid = pid;
            this.status = now;
        }
        exit.thenAccept(this::exited);
    }

    private synchronized void exited(Reaper.Exit e) {
        exit = e;
        if (!starting) {
            stop();
        }
    }

    private void stop() {
        if (status == ProcessStatus.STOPPED || status == ProcessStatus.DELETED) {
            return;
        }
        status = ProcessStatus.STOPPED;
        events.publish(EventSink.TASK_EXIT, TaskExit.newBuilder().setContainerId(containerId).setId(id)
                .setPid(pid).setExitStatus(exit.status()).setExitedAt(Timestamps.of(exit.exitedAt())).build());
        stopped.complete(exit);
    }

    /** Moves to a new status after checking it is allowed; {@code op} names the operation in errors. */
    final synchronized void transition(String op, boolean allowed, ProcessStatus next) {
        if (!allowed) {
            throw status.illegal(op, name());
        }
        status = next;
    }

    /** Marks the process deleted and returns its exit; a process killed before it started counts as 137 now. */
    final synchronized Reaper.Exit markDeleted() {
        if (!status.canDelete()) {
            throw status.illegal("delete", name());
        }
        status = ProcessStatus.DELETED;
        return exit != null ? exit : new Reaper.Exit(pid, 0, 9, Instant.now());
    }

    /** {@code c1} for the init, {@code c1/exec1} for an exec, in error messages. */
    final String name() {
        return containerId.equals(id) ? id : containerId + "/" + id;
    }
}
