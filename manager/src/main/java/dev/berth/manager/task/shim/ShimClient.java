package dev.berth.manager.task.shim;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import dev.berth.api.runtime.task.v2.CloseIORequest;
import dev.berth.api.runtime.task.v2.ConnectRequest;
import dev.berth.api.runtime.task.v2.ConnectResponse;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.CreateTaskResponse;
import dev.berth.api.runtime.task.v2.DeleteRequest;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.api.runtime.task.v2.ExecProcessRequest;
import dev.berth.api.runtime.task.v2.KillRequest;
import dev.berth.api.runtime.task.v2.PauseRequest;
import dev.berth.api.runtime.task.v2.PidsRequest;
import dev.berth.api.runtime.task.v2.PidsResponse;
import dev.berth.api.runtime.task.v2.ResizePtyRequest;
import dev.berth.api.runtime.task.v2.ResumeRequest;
import dev.berth.api.runtime.task.v2.ShutdownRequest;
import dev.berth.api.runtime.task.v2.StartRequest;
import dev.berth.api.runtime.task.v2.StartResponse;
import dev.berth.api.runtime.task.v2.StateRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.api.runtime.task.v2.StatsRequest;
import dev.berth.api.runtime.task.v2.StatsResponse;
import dev.berth.api.runtime.task.v2.UpdateTaskRequest;
import dev.berth.api.runtime.task.v2.WaitRequest;
import dev.berth.api.runtime.task.v2.WaitResponse;
import dev.berth.api.ttrpc.Metadata;
import dev.berth.api.ttrpc.TtrpcClient;
import dev.berth.api.types.task.ProcessInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A typed client of one shim's {@code containerd.task.v2.Task} service, sending the task's namespace with every
 * call as containerd does. An empty exec id means the task's init process.
 *
 * <p>Errors: every method throws {@link dev.berth.api.ttrpc.TtrpcException}, a {@link
 * dev.berth.api.errdefs.BerthException} whose kind is the status code's (the shim's NOT_FOUND,
 * FAILED_PRECONDITION, …; UNAVAILABLE when the connection is gone, DEADLINE_EXCEEDED past the call timeout) and
 * whose message is the shim's.
 */
public final class ShimClient implements AutoCloseable {
    private static final String SERVICE = "containerd.task.v2.Task";

    private final TtrpcClient ttrpc;
    private final Metadata metadata;
    private final Duration timeout;
    /** The open handles on {@link #ttrpc} ({@link #share}); the last {@link #close} closes the connection. */
    private final java.util.concurrent.atomic.AtomicInteger handles;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ShimClient(TtrpcClient ttrpc, Metadata metadata, Duration timeout,
                       java.util.concurrent.atomic.AtomicInteger handles) {
        this.ttrpc = ttrpc;
        this.metadata = metadata;
        this.timeout = timeout;
        this.handles = handles;
    }

    /**
     * Connects to the shim at a {@code unix://} address.
     *
     * @param timeout the deadline of every call but {@link #wait}, which waits as long as the process runs
     */
    public static ShimClient connect(String address, String namespace, Duration timeout) throws IOException {
        return new ShimClient(TtrpcClient.connect(ShimLauncher.socketPath(address)), Metadata.namespace(namespace),
                timeout, new java.util.concurrent.atomic.AtomicInteger(1));
    }

    /**
     * Another handle on this client's connection, for another task served by the same shim server: calls on the
     * two are independent (ttrpc streams), {@link #ended} is the connection's, and the connection closes with its
     * last handle.
     */
    public ShimClient share() {
        if (handles.getAndUpdate(n -> n == 0 ? 0 : n + 1) == 0) {
            throw new IllegalStateException("share shim client: connection closed");
        }
        return new ShimClient(ttrpc, metadata, timeout, handles);
    }

    /** Creates the task from its bundle; returns the init process's pid. */
    public int create(CreateTaskRequest request) {
        return call("Create", request, CreateTaskResponse.parser()).getPid();
    }

    /** Starts the init process or an exec'd one; returns its pid. */
    public int start(String id, String execId) {
        return call("Start", StartRequest.newBuilder().setId(id).setExecId(execId).build(), StartResponse.parser())
                .getPid();
    }

    /** Deletes a stopped process (the whole task for the init process) and reports its exit. */
    public ProcessExit delete(String id, String execId) {
        DeleteResponse r = call("Delete", DeleteRequest.newBuilder().setId(id).setExecId(execId).build(),
                DeleteResponse.parser());
        return new ProcessExit(r.getPid(), r.getExitStatus(), instant(r.getExitedAt()));
    }

    public StateResponse state(String id, String execId) {
        return call("State", StateRequest.newBuilder().setId(id).setExecId(execId).build(), StateResponse.parser());
    }

    public void kill(String id, String execId, int signal, boolean all) {
        call("Kill", KillRequest.newBuilder().setId(id).setExecId(execId).setSignal(signal).setAll(all).build(),
                Empty.parser());
    }

    /** Adds an exec'd process (not started yet) to the task. */
    public void exec(ExecProcessRequest request) {
        call("Exec", request, Empty.parser());
    }

    public void resizePty(String id, String execId, int width, int height) {
        call("ResizePty", ResizePtyRequest.newBuilder().setId(id).setExecId(execId).setWidth(width)
                .setHeight(height).build(), Empty.parser());
    }

    /** Closes a process's stdin (when {@code stdin}: the only thing containerd's CloseIO closes). */
    public void closeIO(String id, String execId, boolean stdin) {
        call("CloseIO", CloseIORequest.newBuilder().setId(id).setExecId(execId).setStdin(stdin).build(),
                Empty.parser());
    }

    public void pause(String id) {
        call("Pause", PauseRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    public void resume(String id) {
        call("Resume", ResumeRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    public List<ProcessInfo> pids(String id) {
        return call("Pids", PidsRequest.newBuilder().setId(id).build(), PidsResponse.parser()).getProcessesList();
    }

    /** Updates the task's resources ({@code resources} as the runtime spec's {@code LinuxResources}). */
    public void update(String id, Any resources, Map<String, String> annotations) {
        call("Update", UpdateTaskRequest.newBuilder().setId(id).setResources(resources)
                .putAllAnnotations(annotations).build(), Empty.parser());
    }

    /** The task's metrics, e.g. {@code io.containerd.cgroups.v1.Metrics}. */
    public Any stats(String id) {
        return call("Stats", StatsRequest.newBuilder().setId(id).build(), StatsResponse.parser()).getStats();
    }

    /** Waits, with no deadline, until the process exits; returns its exit (pid 0: Wait does not report it). */
    public ProcessExit wait(String id, String execId) {
        WaitResponse r = ttrpc.call(SERVICE, "Wait", WaitRequest.newBuilder().setId(id).setExecId(execId).build(),
                WaitResponse.parser(), metadata, TtrpcClient.NO_DEADLINE);
        return new ProcessExit(0, r.getExitStatus(), instant(r.getExitedAt()));
    }

    /** The shim's and the task's pids and the shim's version. */
    public ConnectResponse connect(String id) {
        return call("Connect", ConnectRequest.newBuilder().setId(id).build(), ConnectResponse.parser());
    }

    /** Asks the shim to exit; it does once it serves no task, at once with {@code now}. */
    public void shutdown(String id, boolean now) {
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).setNow(now).build(), Empty.parser());
    }

    private <T extends MessageLite> T call(String method, MessageLite request, Parser<T> parser) {
        return ttrpc.call(SERVICE, method, request, parser, metadata, timeout);
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /**
     * Completes once the connection to the shim has ended: the shim exited or closed it, or {@link #close} was
     * called.
     */
    public java.util.concurrent.CompletableFuture<Void> ended() {
        return ttrpc.ended();
    }

    /**
     * Closes this handle, and the connection with the last one ({@link #share}); the shim and its tasks keep
     * running.
     */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true) && handles.decrementAndGet() == 0) {
            ttrpc.close();
        }
    }
}
