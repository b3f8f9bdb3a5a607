package dev.berth.manager.service.tasks;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.services.tasks.v1.CheckpointTaskRequest;
import dev.berth.api.services.tasks.v1.CheckpointTaskResponse;
import dev.berth.api.services.tasks.v1.CloseIORequest;
import dev.berth.api.services.tasks.v1.CreateTaskRequest;
import dev.berth.api.services.tasks.v1.CreateTaskResponse;
import dev.berth.api.services.tasks.v1.DeleteProcessRequest;
import dev.berth.api.services.tasks.v1.DeleteResponse;
import dev.berth.api.services.tasks.v1.DeleteTaskRequest;
import dev.berth.api.services.tasks.v1.ExecProcessRequest;
import dev.berth.api.services.tasks.v1.GetRequest;
import dev.berth.api.services.tasks.v1.GetResponse;
import dev.berth.api.services.tasks.v1.KillRequest;
import dev.berth.api.services.tasks.v1.ListPidsRequest;
import dev.berth.api.services.tasks.v1.ListPidsResponse;
import dev.berth.api.services.tasks.v1.ListTasksRequest;
import dev.berth.api.services.tasks.v1.ListTasksResponse;
import dev.berth.api.services.tasks.v1.MetricsRequest;
import dev.berth.api.services.tasks.v1.MetricsResponse;
import dev.berth.api.services.tasks.v1.PauseTaskRequest;
import dev.berth.api.services.tasks.v1.ResizePtyRequest;
import dev.berth.api.services.tasks.v1.ResumeTaskRequest;
import dev.berth.api.services.tasks.v1.StartRequest;
import dev.berth.api.services.tasks.v1.StartResponse;
import dev.berth.api.services.tasks.v1.TasksGrpc;
import dev.berth.api.services.tasks.v1.UpdateTaskRequest;
import dev.berth.api.services.tasks.v1.WaitRequest;
import dev.berth.api.services.tasks.v1.WaitResponse;
import dev.berth.api.types.Metric;
import dev.berth.api.types.task.ProcessInfo;
import dev.berth.api.types.task.Status;
import dev.berth.log.Log;
import dev.berth.manager.filters.Filter;
import dev.berth.manager.metadata.AnyValue;
import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Protos;
import dev.berth.manager.service.RequestMetadata;
import dev.berth.manager.service.snapshots.SnapshotsService;
import dev.berth.manager.task.ExecCreate;
import dev.berth.manager.task.ProcessRef;
import dev.berth.manager.task.Stdio;
import dev.berth.manager.task.TaskCreate;
import dev.berth.manager.task.TaskState;
import dev.berth.manager.task.Tasks;
import dev.berth.manager.task.shim.ProcessExit;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code containerd.services.tasks.v1.Tasks}: a thin adapter over {@link Tasks}, which creates tasks from the
 * call's container records (containerd's {@code services/tasks/local.go}).
 *
 * <p>Like containerd's service it publishes no {@code /tasks/*} events of its own: the shims publish them, through
 * the ttrpc forward socket, into the same exchange.
 */
public final class TasksService extends TasksGrpc.TasksImplBase {
    private static final Log LOG = Log.of(TasksService.class);

    private final Tasks tasks;
    private final ContainerRecords containers;
    private final Clock clock;

    /**
     * @param clock stamps the metrics it collects
     */
    public TasksService(Tasks tasks, ContainerRecords containers, Clock clock) {
        this.tasks = tasks;
        this.containers = containers;
        this.clock = clock;
    }

    public TasksService(Tasks tasks, ContainerRecords containers) {
        this(tasks, containers, Clock.systemUTC());
    }

    @Override
    public void create(CreateTaskRequest req, StreamObserver<CreateTaskResponse> response) {
        Calls.unary(response, () -> {
            String id = req.getContainerId();
            String ns = RequestMetadata.namespace("create task " + id);
            if (req.hasCheckpoint()) {
                throw BerthException.unimplemented("create task " + id
                        + ": restore from a checkpoint: not implemented by berthd");
            }
            ContainerRecord container = containers.get(ns, id);
            String runtime = req.getRuntimePath().isEmpty() ? container.runtime().name() : req.getRuntimePath();
            Optional<Any> options = req.hasOptions() ? Optional.of(req.getOptions())
                    : any(container.runtime().options());
            int pid = tasks.create(new TaskCreate(ns, id, runtime, options, container.spec().value(),
                    SnapshotsService.fromProto(req.getRootfsList()),
                    new Stdio(req.getStdin(), req.getStdout(), req.getStderr(), req.getTerminal())));
            return CreateTaskResponse.newBuilder().setContainerId(id).setPid(pid).build();
        });
    }

    @Override
    public void start(StartRequest req, StreamObserver<StartResponse> response) {
        Calls.unary(response, () -> StartResponse.newBuilder()
                .setPid(tasks.start(process("start", req.getContainerId(), req.getExecId()))).build());
    }

    @Override
    public void delete(DeleteTaskRequest req, StreamObserver<DeleteResponse> response) {
        Calls.unary(response, () -> {
            String id = req.getContainerId();
            ProcessExit exit = tasks.delete(RequestMetadata.namespace("delete task " + id), id);
            return DeleteResponse.newBuilder().setPid(exit.pid()).setExitStatus(exit.exitStatus())
                    .setExitedAt(Protos.timestamp(exit.exitedAt())).build();
        });
    }

    @Override
    public void deleteProcess(DeleteProcessRequest req, StreamObserver<DeleteResponse> response) {
        Calls.unary(response, () -> {
            ProcessExit exit = tasks.deleteProcess(exec("delete process", req.getContainerId(), req.getExecId()));
            return DeleteResponse.newBuilder().setId(req.getExecId()).setPid(exit.pid())
                    .setExitStatus(exit.exitStatus()).setExitedAt(Protos.timestamp(exit.exitedAt())).build();
        });
    }

    @Override
    public void get(GetRequest req, StreamObserver<GetResponse> response) {
        Calls.unary(response, () -> GetResponse.newBuilder()
                .setProcess(toProto(tasks.get(process("get", req.getContainerId(), req.getExecId())))).build());
    }

    /** The namespace's tasks; {@code filter} (containerd ignores it) may select on {@code id} and {@code status}. */
    @Override
    public void list(ListTasksRequest req, StreamObserver<ListTasksResponse> response) {
        Calls.unary(response, () -> {
            Filter filter = Filter.parse(req.getFilter());
            ListTasksResponse.Builder b = ListTasksResponse.newBuilder();
            for (TaskState task : tasks.list(RequestMetadata.namespace("list tasks"))) {
                if (filter.matches(path -> field(task, path))) {
                    b.addTasks(toProto(task));
                }
            }
            return b.build();
        });
    }

    @Override
    public void kill(KillRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            tasks.kill(process("kill", req.getContainerId(), req.getExecId()), req.getSignal(), req.getAll());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void exec(ExecProcessRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            tasks.exec(new ExecCreate(exec("exec", req.getContainerId(), req.getExecId()), req.getSpec(),
                    new Stdio(req.getStdin(), req.getStdout(), req.getStderr(), req.getTerminal())));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void resizePty(ResizePtyRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            tasks.resizePty(process("resize pty of", req.getContainerId(), req.getExecId()), req.getWidth(),
                    req.getHeight());
            return Empty.getDefaultInstance();
        });
    }

    /** Closes stdin when asked to; containerd's only stream to close. */
    @Override
    public void closeIO(CloseIORequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            ProcessRef process = process("close io of", req.getContainerId(), req.getExecId());
            if (req.getStdin()) {
                tasks.closeStdin(process);
            }
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void pause(PauseTaskRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String id = req.getContainerId();
            tasks.pause(RequestMetadata.namespace("pause task " + id), id);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void resume(ResumeTaskRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String id = req.getContainerId();
            tasks.resume(RequestMetadata.namespace("resume task " + id), id);
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void listPids(ListPidsRequest req, StreamObserver<ListPidsResponse> response) {
        Calls.unary(response, () -> {
            String id = req.getContainerId();
            ListPidsResponse.Builder b = ListPidsResponse.newBuilder();
            tasks.pids(RequestMetadata.namespace("list pids of task " + id), id).forEach(p -> {
                ProcessInfo.Builder info = ProcessInfo.newBuilder().setPid(p.pid());
                p.info().ifPresent(info::setInfo);
                b.addProcesses(info);
            });
            return b.build();
        });
    }

    @Override
    public void checkpoint(CheckpointTaskRequest req, StreamObserver<CheckpointTaskResponse> response) {
        Calls.unary(response, () -> {
            throw BerthException.unimplemented("checkpoint " + req.getContainerId() + ": not implemented by berthd");
        });
    }

    @Override
    public void update(UpdateTaskRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            String id = req.getContainerId();
            tasks.update(RequestMetadata.namespace("update task " + id), id, req.getResources(),
                    req.getAnnotationsMap());
            return Empty.getDefaultInstance();
        });
    }

    /**
     * The shims' stats of the namespace's tasks that {@code filters} select (on {@code id} and {@code namespace}).
     * As in containerd, a task whose stats cannot be had is left out rather than failing the call.
     */
    @Override
    public void metrics(MetricsRequest req, StreamObserver<MetricsResponse> response) {
        Calls.unary(response, () -> {
            Filter filter = Filter.parseAll(req.getFiltersList());
            String ns = RequestMetadata.namespace("metrics of tasks");
            MetricsResponse.Builder b = MetricsResponse.newBuilder();
            for (TaskState task : tasks.list(ns)) {
                if (!filter.matches(path -> metricsField(task, path))) {
                    continue;
                }
                Instant collected = clock.instant();
                try {
                    b.addMetrics(Metric.newBuilder().setTimestamp(Protos.timestamp(collected))
                            .setId(task.containerId()).setData(tasks.metrics(ns, task.containerId())));
                } catch (BerthException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) { // not found: deleted meanwhile
                        LOG.warn("collecting metrics", e, "namespace", ns, "id", task.containerId());
                    }
                }
            }
            return b.build();
        });
    }

    @Override
    public void wait(WaitRequest req, StreamObserver<WaitResponse> response) {
        Calls.unary(response, () -> {
            ProcessExit exit = tasks.wait(process("wait", req.getContainerId(), req.getExecId()));
            return WaitResponse.newBuilder().setExitStatus(exit.exitStatus())
                    .setExitedAt(Protos.timestamp(exit.exitedAt())).build();
        });
    }

    // --- conversions ---

    /** The init process ({@code execId} empty) or an exec'd one, in the call's namespace. */
    private static ProcessRef process(String operation, String containerId, String execId) {
        String ns = RequestMetadata.namespace(operation + " " + containerId);
        return new ProcessRef(ns, containerId, execId);
    }

    /** An exec'd process, whose exec id must be given. */
    private static ProcessRef exec(String operation, String containerId, String execId) {
        if (execId.isEmpty()) {
            throw BerthException.invalidArgument(operation + " in " + containerId + ": exec id must not be empty");
        }
        return process(operation, containerId, execId);
    }

    private static Optional<Any> any(AnyValue value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(Any.newBuilder().setTypeUrl(value.typeUrl())
                .setValue(ByteString.copyFrom(value.value())).build());
    }

    /** containerd's {@code types.Process}: the id is the exec id, or the container id for the init process. */
    static dev.berth.api.types.task.Process toProto(TaskState t) {
        dev.berth.api.types.task.Process.Builder b = dev.berth.api.types.task.Process.newBuilder()
                .setContainerId(t.containerId())
                .setId(t.execId().isEmpty() ? t.containerId() : t.execId())
                .setPid(t.pid())
                .setStatus(Status.valueOf(t.status().name()))
                .setStdin(t.stdio().stdin())
                .setStdout(t.stdio().stdout())
                .setStderr(t.stdio().stderr())
                .setTerminal(t.stdio().terminal())
                .setExitStatus(t.exitStatus());
        t.exitedAt().ifPresent(at -> b.setExitedAt(Protos.timestamp(at)));
        return b.build();
    }

    private static Optional<String> field(TaskState task, List<String> path) {
        return switch (path.getFirst()) {
            case "id" -> Optional.of(task.containerId());
            case "status" -> Optional.of(task.status().name().toLowerCase(Locale.ROOT));
            default -> Optional.empty();
        };
    }

    private static Optional<String> metricsField(TaskState task, List<String> path) {
        return switch (path.getFirst()) {
            case "id" -> Optional.of(task.containerId());
            case "namespace" -> Optional.of(task.namespace());
            default -> Optional.empty();
        };
    }
}
