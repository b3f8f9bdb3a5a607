package dev.berth.shim.task;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.MessageLite;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.runtime.runc.options.ProcessDetails;
import dev.berth.api.runtime.task.v2.*;
import dev.berth.api.ttrpc.TtrpcService;
import dev.berth.api.types.Mount;
import dev.berth.api.types.task.ProcessInfo;
import dev.berth.api.types.task.Status;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.metrics.MetricsFormat;
import dev.berth.shim.process.Container;
import dev.berth.shim.process.Containers;
import dev.berth.shim.process.EngineChoice;
import dev.berth.shim.process.ExecProcess;
import dev.berth.shim.process.InitProcess;
import dev.berth.shim.process.Reaper;
import dev.berth.shim.process.RootfsMount;
import dev.berth.shim.process.ShimProcess;
import dev.berth.shim.process.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** containerd's shim v2 task service ({@code containerd.task.v2.Task}) over the shim's {@link Containers}. */
public final class TaskService {
    public static final String NAME = "containerd.task.v2.Task";
    /**
     * What Connect answers as its version, followed by the server's group scope ({@code namespace}, {@code label}
     * or {@code container}): berthd creates a namespace's next task that names no group on the namespace's server
     * without running {@code start}, and does not wait for a shared server to exit (manager.task's {@code
     * GroupServers} reads it). containerd reads no version.
     */
    public static final String VERSION_PREFIX = "berth-shim group=";
    private static final String PROCESS_DETAILS = "containerd.runc.v1.ProcessDetails";

    private final Containers containers;
    private final EngineSource engines;
    private final int shimPid;
    private final Runnable shutdown;
    private final String namespace;
    private final MetricsFormat metrics;
    private final String version;

    /**
     * @param shutdown called when Shutdown finds no task left (or is told {@code now})
     * @param namespace the shim's {@code -namespace}, for calls whose metadata names none (containerd 1.6)
     * @param metrics the cgroup version's metrics message that Stats answers with
     * @param scope the server's group scope, lowercase, which Connect reports after {@link #VERSION_PREFIX}
     */
    public TaskService(Containers containers, EngineSource engines, int shimPid, Runnable shutdown,
                       String namespace, MetricsFormat metrics, String scope) {
        this.namespace = namespace;
        this.version = VERSION_PREFIX + scope;
        this.metrics = metrics;
        this.containers = containers;
        this.engines = engines;
        this.shimPid = shimPid;
        this.shutdown = shutdown;
    }

    public TtrpcService service() {
        return TtrpcService.builder(NAME)
                .unary("Create", CreateTaskRequest.parser(), (c, r) -> call(() -> create(r, c.namespace().orElse(namespace))))
                .unary("Start", StartRequest.parser(), (c, r) -> call(() -> start(r)))
                .unary("State", StateRequest.parser(), (c, r) -> call(() -> state(r)))
                .unary("Wait", WaitRequest.parser(), (c, r) -> call(() -> await(r)))
                .unary("Kill", KillRequest.parser(), (c, r) -> call(() -> kill(r)))
                .unary("Delete", DeleteRequest.parser(), (c, r) -> call(() -> delete(r)))
                .unary("Exec", ExecProcessRequest.parser(), (c, r) -> call(() -> exec(r)))
                .unary("Pids", PidsRequest.parser(), (c, r) -> call(() -> pids(r)))
                .unary("Pause", PauseRequest.parser(), (c, r) -> call(() -> empty(() -> container("pause",
                        r.getId()).init().pause())))
                .unary("Resume", ResumeRequest.parser(), (c, r) -> call(() -> empty(() -> container("resume",
                        r.getId()).init().resume())))
                .unary("Update", UpdateTaskRequest.parser(), (c, r) -> call(() -> empty(() -> container("update",
                        r.getId()).update(r.getResources().getValue().toString(StandardCharsets.UTF_8)))))
                .unary("ResizePty", ResizePtyRequest.parser(), (c, r) -> call(() -> empty(() -> container(
                        "resize pty of", r.getId()).process(r.getExecId()).resizePty(r.getWidth(), r.getHeight()))))
                .unary("CloseIO", CloseIORequest.parser(), (c, r) -> call(() -> empty(() -> closeIo(r))))
                .unary("Stats", StatsRequest.parser(), (c, r) -> call(() -> StatsResponse.newBuilder()
                        .setStats(metrics.toAny(r.getId(), container("stats", r.getId()).stats())).build()))
                .unary("Checkpoint", CheckpointTaskRequest.parser(), (c, r) -> unimplemented("checkpoint "
                        + r.getId() + ": checkpoint is not supported by berth-shim"))
                .unary("Connect", ConnectRequest.parser(), (c, r) -> call(() -> connect(r)))
                .unary("Shutdown", ShutdownRequest.parser(), (c, r) -> call(() -> shutdown(r)))
                .build();
    }

    private CreateTaskResponse create(CreateTaskRequest r, String namespace) {
        EngineChoice choice = RuntimeOptions.engineChoice(r.getId(), r.hasOptions() ? r.getOptions() : null);
        Path bundle = Path.of(r.getBundle());
        try {
            choice.save(bundle);
        } catch (IOException e) {
            throw BerthException.invalidArgument("create " + r.getId() + ": bundle " + bundle + ": " + e.getMessage());
        }
        List<RootfsMount.Spec> rootfs = new ArrayList<>();
        for (Mount m : r.getRootfsList()) {
            rootfs.add(new RootfsMount.Spec(m.getType(), m.getSource(), m.getOptionsList()));
        }
        Container c = containers.create(new Container.CreateSpec(r.getId(), bundle, rootfs,
                new ShimProcess.ProcessStdio(r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal()), namespace),
                processes -> engines.engine(choice, bundle, processes));
        return CreateTaskResponse.newBuilder().setPid(c.init().pid()).build();
    }

    /** Takes over the tasks an earlier server of this group left running ({@link Containers#adoptAll}). */
    public int adoptAll() {
        return containers.adoptAll(namespace, (bundle, processes) -> {
            try {
                return engines.engine(EngineChoice.load(bundle), bundle, processes);
            } catch (IOException e) {
                throw new EngineException(EngineException.Kind.INVALID_ARGUMENT, "adopt: read engine of " + bundle
                        + ": " + e.getMessage(), e);
            }
        });
    }

    private StartResponse start(StartRequest r) {
        int pid = container("start", r.getId()).process(r.getExecId()).start();
        return StartResponse.newBuilder().setPid(pid).build();
    }

    private StateResponse state(StateRequest r) {
        Container c = container("state", r.getId());
        ShimProcess p = c.process(r.getExecId());
        StateResponse.Builder b = StateResponse.newBuilder().setId(p.id()).setBundle(c.bundle().toString())
                .setPid(p.pid()).setStatus(status(p)).setStdin(p.stdio().stdin()).setStdout(p.stdio().stdout())
                .setStderr(p.stdio().stderr()).setTerminal(p.stdio().terminal()).setExecId(r.getExecId());
        p.exit().ifPresent(e -> b.setExitStatus(e.status()).setExitedAt(Timestamps.of(e.exitedAt())));
        return b.build();
    }

    private static Status status(ShimProcess p) {
        return switch (p.status()) {
            case CREATED -> Status.CREATED;
            case RUNNING -> Status.RUNNING;
            case PAUSED -> Status.PAUSED;
            case STOPPED, DELETED -> Status.STOPPED;
        };
    }

    private WaitResponse await(WaitRequest r) {
        Reaper.Exit exit = container("wait", r.getId()).process(r.getExecId()).awaitExit();
        return WaitResponse.newBuilder().setExitStatus(exit.status()).setExitedAt(Timestamps.of(exit.exitedAt()))
                .build();
    }

    private Empty kill(KillRequest r) {
        ShimProcess p = container("kill", r.getId()).process(r.getExecId());
        switch (p) {
            case InitProcess init -> init.kill(r.getSignal(), r.getAll());
            case ExecProcess exec -> exec.kill(r.getSignal());
        }
        return Empty.getDefaultInstance();
    }

    private DeleteResponse delete(DeleteRequest r) {
        Container.Deleted d = containers.delete(r.getId(), r.getExecId());
        return DeleteResponse.newBuilder().setPid(d.pid()).setExitStatus(d.exit().status())
                .setExitedAt(Timestamps.of(d.exit().exitedAt())).build();
    }

    private Empty exec(ExecProcessRequest r) {
        container("exec", r.getId()).addExec(r.getExecId(), new ShimProcess.ProcessStdio(r.getStdin(),
                r.getStdout(), r.getStderr(), r.getTerminal()), r.getSpec().getValue().toString(StandardCharsets.UTF_8));
        return Empty.getDefaultInstance();
    }

    private PidsResponse pids(PidsRequest r) {
        Container c = container("pids", r.getId());
        PidsResponse.Builder b = PidsResponse.newBuilder();
        for (int pid : c.pids()) {
            ProcessInfo.Builder info = ProcessInfo.newBuilder().setPid(pid);
            execIdOf(c, pid).ifPresent(execId -> info.setInfo(Any.newBuilder().setTypeUrl(PROCESS_DETAILS)
                    .setValue(ProcessDetails.newBuilder().setExecId(execId).build().toByteString())));
            b.addProcesses(info);
        }
        return b.build();
    }

    private static java.util.Optional<String> execIdOf(Container c, int pid) {
        return c.execIds().stream().filter(id -> c.process(id).pid() == pid).findFirst();
    }

    private void closeIo(CloseIORequest r) {
        ShimProcess p = container("close io of", r.getId()).process(r.getExecId());
        if (r.getStdin()) {
            p.closeStdin();
        }
    }

    private ConnectResponse connect(ConnectRequest r) {
        int taskPid = containers.find(r.getId()).map(c -> c.init().pid()).orElse(0);
        return ConnectResponse.newBuilder().setShimPid(shimPid).setTaskPid(taskPid).setVersion(version).build();
    }

    private Empty shutdown(ShutdownRequest r) {
        if (r.getNow() || containers.isEmpty()) {
            shutdown.run();
        }
        return Empty.getDefaultInstance();
    }

    private Container container(String op, String id) {
        return containers.get(op, id);
    }

    private static Empty empty(Runnable body) {
        body.run();
        return Empty.getDefaultInstance();
    }

    private static Empty unimplemented(String message) {
        throw BerthException.unimplemented(message);
    }

    /** Runs one call and maps the engine's and processes' error kinds to errdefs kinds, which ttrpc sends. */
    private static <R extends MessageLite> R call(Supplier<R> body) {
        try {
            return body.get();
        } catch (EngineException e) {
            throw new BerthException(kind(e.kind()), e.getMessage(), e);
        }
    }

    private static ErrorKind kind(EngineException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> ErrorKind.NOT_FOUND;
            case UNAVAILABLE -> ErrorKind.UNAVAILABLE;
            case ALREADY_EXISTS -> ErrorKind.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> ErrorKind.FAILED_PRECONDITION;
            case INVALID_ARGUMENT -> ErrorKind.INVALID_ARGUMENT;
            case INTERNAL -> ErrorKind.INTERNAL;
        };
    }
}
