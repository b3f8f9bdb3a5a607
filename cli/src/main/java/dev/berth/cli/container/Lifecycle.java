package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.containers.v1.CreateContainerRequest;
import dev.berth.api.services.containers.v1.DeleteContainerRequest;
import dev.berth.api.services.snapshots.v1.MountsRequest;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotRequest;
import dev.berth.api.services.snapshots.v1.RemoveSnapshotRequest;
import dev.berth.api.services.tasks.v1.CreateTaskRequest;
import dev.berth.api.services.tasks.v1.DeleteProcessRequest;
import dev.berth.api.services.tasks.v1.DeleteTaskRequest;
import dev.berth.api.services.tasks.v1.ExecProcessRequest;
import dev.berth.api.services.tasks.v1.GetRequest;
import dev.berth.api.services.tasks.v1.KillRequest;
import dev.berth.api.services.tasks.v1.StartRequest;
import dev.berth.api.services.tasks.v1.WaitRequest;
import dev.berth.api.types.Mount;
import dev.berth.api.types.task.Process;
import dev.berth.api.types.task.Status;
import dev.berth.cli.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonErrors;
import dev.berth.cli.spec.RuntimeSpec;
import dev.berth.api.services.leases.v1.CreateRequest;
import dev.berth.api.services.leases.v1.DeleteRequest;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The container lifecycle through containerd's API, as ctr drives it: a snapshot prepared on the image's top
 * layer, a container record holding the spec, a task created on the snapshot's mounts, started, waited for, and
 * removed in the reverse order.
 */
public final class Lifecycle {
    /** The shim berthd runs for containers (containerd's runc shim name, which berthd maps to berth-shim). */
    public static final String RUNTIME = "io.containerd.runc.v2";
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private static final String GC_EXPIRE = "containerd.io/gc.expire";
    private static final Duration LEASE_EXPIRY = Duration.ofHours(1);

    private final Berth berth;
    private final ObjectMapper json;

    public Lifecycle(Berth berth, ObjectMapper json) {
        this.berth = berth;
        this.json = json;
    }

    /**
     * Prepares the rootfs snapshot (key = id) on {@code parent} and records the container, both under a lease of
     * their own, as ctr does: between the two calls the snapshot is referenced by nothing else, and berthd's garbage
     * collection would be free to remove it. The lease expires by itself should the CLI die before deleting it.
     */
    public Container create(String id, String image, String snapshotter, String parent, JsonNode spec,
                            Map<String, String> labels) throws IOException {
        byte[] suffix = new byte[4];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(suffix);
        String lease = berth.leases().create(CreateRequest.newBuilder()
                .setId(id + "-create-" + java.util.HexFormat.of().formatHex(suffix))
                .putLabels(GC_EXPIRE, Instant.now().plus(LEASE_EXPIRY).truncatedTo(ChronoUnit.SECONDS).toString())
                .build()).getLease().getId();
        try {
            return create(Berth.underLease(lease), id, image, snapshotter, parent, spec, labels);
        } finally {
            try {
                berth.leases().delete(DeleteRequest.newBuilder().setId(lease).build());
            } catch (StatusRuntimeException e) {
                // the container holds its snapshot by now; the lease only expires later than asked
            }
        }
    }

    private Container create(ClientInterceptor lease, String id, String image, String snapshotter, String parent,
                             JsonNode spec, Map<String, String> labels) throws IOException {
        try {
            berth.snapshots().withInterceptors(lease).prepare(PrepareSnapshotRequest.newBuilder().setSnapshotter(snapshotter).setKey(id)
                    .setParent(parent).build());
        } catch (StatusRuntimeException e) {
            if (DaemonErrors.isAlreadyExists(e)) {
                throw CliException.failed("Conflict. The container name \"" + id + "\" is already in use");
            }
            throw e;
        }
        try {
            Any anySpec = Any.newBuilder().setTypeUrl(RuntimeSpec.TYPE_URL)
                    .setValue(ByteString.copyFrom(json.writeValueAsBytes(spec))).build();
            Container container = Container.newBuilder().setId(id).setImage(image).putAllLabels(labels)
                    .setRuntime(Container.Runtime.newBuilder().setName(RUNTIME))
                    .setSpec(anySpec).setSnapshotter(snapshotter).setSnapshotKey(id).build();
            return berth.containers().withInterceptors(lease).create(CreateContainerRequest.newBuilder().setContainer(container).build())
                    .getContainer();
        } catch (StatusRuntimeException | IOException e) {
            removeSnapshot(snapshotter, id);
            if (e instanceof StatusRuntimeException s && DaemonErrors.isAlreadyExists(s)) {
                throw CliException.failed("Conflict. The container name \"" + id + "\" is already in use");
            }
            throw e;
        }
    }

    /** Creates the task on the container's snapshot with {@code stdio}; a failed exec maps to 126/127. */
    public void createTask(Container container, Stdio stdio) {
        List<Mount> rootfs = berth.snapshots().mounts(MountsRequest.newBuilder()
                .setSnapshotter(container.getSnapshotter()).setKey(container.getSnapshotKey()).build()).getMountsList();
        try {
            berth.tasks().create(CreateTaskRequest.newBuilder().setContainerId(container.getId()).addAllRootfs(rootfs)
                    .setStdin(stdio.stdin()).setStdout(stdio.stdout()).setStderr(stdio.stderr())
                    .setTerminal(stdio.terminal()).build());
        } catch (StatusRuntimeException e) {
            throw execFailure(e);
        }
    }

    public void start(String id) {
        startProcess(id, "");
    }

    /** Starts the task's init ({@code execId} empty) or an exec; a failed exec maps to 126/127. */
    public void startProcess(String id, String execId) {
        try {
            berth.tasks().start(StartRequest.newBuilder().setContainerId(id).setExecId(execId).build());
        } catch (StatusRuntimeException e) {
            throw execFailure(e);
        }
    }

    /** Adds an exec process with the container's process settings and {@code args}. */
    public void exec(Container container, String execId, List<String> args, boolean terminal, Stdio stdio)
            throws IOException {
        JsonNode spec = json.readTree(container.getSpec().getValue().toByteArray());
        com.fasterxml.jackson.databind.node.ObjectNode process = spec.path("process").deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode argv = process.putArray("args");
        args.forEach(argv::add);
        process.put("terminal", terminal);
        Any anySpec = Any.newBuilder().setTypeUrl(RuntimeSpec.PROCESS_TYPE_URL)
                .setValue(ByteString.copyFrom(json.writeValueAsBytes(process))).build();
        try {
            berth.tasks().exec(ExecProcessRequest.newBuilder().setContainerId(container.getId()).setExecId(execId)
                    .setSpec(anySpec).setTerminal(terminal).setStdin(stdio.stdin()).setStdout(stdio.stdout())
                    .setStderr(stdio.stderr()).build());
        } catch (StatusRuntimeException e) {
            throw execFailure(e);
        }
    }

    /** Blocks until the process exits; its exit status. */
    public int await(String id, String execId) {
        return berth.tasks().wait(WaitRequest.newBuilder().setContainerId(id).setExecId(execId).build())
                .getExitStatus();
    }

    /** The exit status if the process exits within {@code timeout}. */
    public OptionalInt await(String id, Duration timeout) {
        try {
            return OptionalInt.of(berth.tasks().withDeadline(Deadline.after(timeout.toMillis(), TimeUnit.MILLISECONDS))
                    .wait(WaitRequest.newBuilder().setContainerId(id).build()).getExitStatus());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Code.DEADLINE_EXCEEDED) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    /** The container's task, if it has one. */
    public Optional<Process> task(String id) {
        try {
            return Optional.of(berth.tasks().get(GetRequest.newBuilder().setContainerId(id).build()).getProcess());
        } catch (StatusRuntimeException e) {
            if (DaemonErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public boolean isRunning(String id) {
        return task(id).map(p -> p.getStatus() == Status.RUNNING || p.getStatus() == Status.PAUSED
                || p.getStatus() == Status.PAUSING).orElse(false);
    }

    public void kill(String id, int signal) {
        berth.tasks().kill(KillRequest.newBuilder().setContainerId(id).setSignal(signal).build());
    }

    /** docker stop: SIGTERM, then SIGKILL after {@code grace}; returns once the task has exited. */
    public void stop(String id, Duration grace) {
        if (!isRunning(id)) {
            return;
        }
        kill(id, SIGTERM);
        if (await(id, grace).isEmpty()) {
            kill(id, SIGKILL);
            await(id, "");
        }
    }

    /** Deletes the task if it has exited (or never started); a running task is refused by the daemon. */
    public void deleteTask(String id) {
        try {
            berth.tasks().delete(DeleteTaskRequest.newBuilder().setContainerId(id).build());
        } catch (StatusRuntimeException e) {
            if (!DaemonErrors.isNotFound(e)) {
                throw e;
            }
        }
    }

    public void deleteProcess(String id, String execId) {
        berth.tasks().deleteProcess(DeleteProcessRequest.newBuilder().setContainerId(id).setExecId(execId).build());
    }

    /**
     * Removes the container: its task (killed first when {@code force}), its record and its snapshot. A running
     * container without {@code force} is refused, as docker does.
     */
    public void remove(Container container, boolean force) {
        String id = container.getId();
        if (isRunning(id)) {
            if (!force) {
                throw CliException.failed("Error response from daemon: You cannot remove a running container " + id
                        + ". Stop the container before attempting removal or force remove");
            }
            kill(id, SIGKILL);
            await(id, "");
        }
        deleteTask(id);
        berth.containers().delete(DeleteContainerRequest.newBuilder().setId(id).build());
        removeSnapshot(container.getSnapshotter(), container.getSnapshotKey());
    }

    private void removeSnapshot(String snapshotter, String key) {
        if (key.isEmpty()) {
            return; // a container created without a snapshot (ctr's containers create without one); as ctr does
        }
        try {
            berth.snapshots().remove(RemoveSnapshotRequest.newBuilder().setSnapshotter(snapshotter).setKey(key)
                    .build());
        } catch (StatusRuntimeException e) {
            if (!DaemonErrors.isNotFound(e)) {
                throw e;
            }
        }
    }

    /** The runtime's failed execve, reported at create or start, as docker's 126/127; anything else stays 125. */
    private static RuntimeException execFailure(StatusRuntimeException e) {
        String message = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
        int code = DaemonErrors.execFailureCode(message);
        if (code == CliException.DAEMON) {
            return e;
        }
        return new CliException(code, "Error response from daemon: " + message, e);
    }
}
