package dev.berth.manager.task;

import com.google.protobuf.Any;
import dev.berth.manager.task.shim.ProcessExit;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The tasks of berthd: a task is a container's running instance, with its init process and any exec'd ones.
 *
 * <p>Lifecycle of a task: {@link #create} (CREATED) → {@link #start} (RUNNING) ⇄ {@link #pause}/{@link #resume}
 * (PAUSED) → exit (STOPPED; {@link #kill} or by itself) → {@link #delete}, which is refused while the task runs.
 * An exec'd process: {@link #exec} → {@link #start} → exit → {@link #deleteProcess}.
 *
 * <p>Errors are {@link dev.berth.api.errdefs.BerthException}s: NOT_FOUND for an unknown task or process,
 * ALREADY_EXISTS for a second create of one id, INVALID_ARGUMENT for bad names, FAILED_PRECONDITION for a
 * transition the state forbids (as the shim reports it), UNAVAILABLE when the task's shim cannot be reached, and
 * the shim's own kinds (UNKNOWN for a runtime that failed) otherwise. Messages name the operation and the task.
 */
public interface Tasks {
    /**
     * Writes the bundle, launches the task's shim and creates the task in it; returns the init process's pid. On
     * any failure nothing is left: no shim, no bundle, no mount.
     */
    int create(TaskCreate request) throws IOException;

    /** Starts the init process or an exec'd one; returns its pid. */
    int start(ProcessRef process);

    /**
     * Deletes a stopped task: the shim removes the container and unmounts its rootfs, then the shim is shut down
     * and the bundle removed. Returns how the init process ended.
     */
    ProcessExit delete(String namespace, String containerId) throws IOException;

    /** Deletes a stopped exec'd process and returns how it ended. */
    ProcessExit deleteProcess(ProcessRef process);

    /** The state of a process, from its shim (for a task whose shim just died: its last known exit). */
    TaskState get(ProcessRef process);

    /** The init processes of every task in a namespace. */
    List<TaskState> list(String namespace);

    /** Sends a signal to a process, or with {@code all} to every process of the task's container. */
    void kill(ProcessRef process, int signal, boolean all);

    /** Adds an exec'd process to a task; {@link #start} runs it. */
    void exec(ExecCreate request);

    void resizePty(ProcessRef process, int width, int height);

    /** Closes the process's stdin. */
    void closeStdin(ProcessRef process);

    void pause(String namespace, String containerId);

    void resume(String namespace, String containerId);

    /** The processes in the task's container. */
    List<PidInfo> pids(String namespace, String containerId);

    /** Updates the task's resources ({@code resources}: the spec's {@code LinuxResources} in an Any). */
    void update(String namespace, String containerId, Any resources, Map<String, String> annotations);

    /** The task's metrics as the shim reports them (e.g. {@code io.containerd.cgroups.v1.Metrics}). */
    Any metrics(String namespace, String containerId);

    /** Waits until the process exits and returns its exit; returns at once if it already has. */
    ProcessExit wait(ProcessRef process);
}
