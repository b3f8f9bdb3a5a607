package dev.berth.manager.service.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.services.tasks.v1.CheckpointTaskRequest;
import dev.berth.api.services.tasks.v1.CreateTaskRequest;
import dev.berth.api.services.tasks.v1.CreateTaskResponse;
import dev.berth.api.services.tasks.v1.DeleteProcessRequest;
import dev.berth.api.services.tasks.v1.DeleteResponse;
import dev.berth.api.services.tasks.v1.DeleteTaskRequest;
import dev.berth.api.services.tasks.v1.ExecProcessRequest;
import dev.berth.api.services.tasks.v1.GetRequest;
import dev.berth.api.services.tasks.v1.KillRequest;
import dev.berth.api.services.tasks.v1.ListPidsRequest;
import dev.berth.api.services.tasks.v1.ListTasksRequest;
import dev.berth.api.services.tasks.v1.MetricsRequest;
import dev.berth.api.services.tasks.v1.MetricsResponse;
import dev.berth.api.services.tasks.v1.PauseTaskRequest;
import dev.berth.api.services.tasks.v1.ResumeTaskRequest;
import dev.berth.api.services.tasks.v1.StartRequest;
import dev.berth.api.services.tasks.v1.TasksGrpc;
import dev.berth.api.services.tasks.v1.WaitRequest;
import dev.berth.api.services.tasks.v1.WaitResponse;
import dev.berth.api.types.task.Process;
import dev.berth.api.types.task.Status;
import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.metadata.AnyValue;
import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.service.InProcessGrpc;
import dev.berth.manager.service.snapshots.SnapshotsService;
import dev.berth.manager.task.ProcessRef;
import dev.berth.manager.task.ShimBinaries;
import dev.berth.manager.task.ShimTasks;
import dev.berth.manager.task.TaskSandbox;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The tasks service in-process over a real {@link ShimTasks} running berth-shim, with containers in a real
 * metadata database; each real container costs about two seconds, so each test drives one through many calls.
 */
class TasksServiceTest {
    private static final String SPEC_TYPE = "types.containerd.io/opencontainers/runtime-spec/1/Spec";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> ids = new ArrayList<>();
    private TaskSandbox sandbox;
    private ShimTasks tasks;
    private MetadataDb metadata;
    private InProcessGrpc grpc;
    private TasksGrpc.TasksBlockingStub stub;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = TaskSandbox.create();
        tasks = sandbox.newTasks(TaskSandbox.berthShim());
        metadata = MetadataDb.open(sandbox.tmp().resolve("metadata.db"),
                LocalContentStore.open(sandbox.tmp().resolve("content")), Map.of());
        grpc = new InProcessGrpc(executor, new TasksService(tasks, (ns, id) -> metadata.containers(ns).get(id)));
        stub = grpc.inNamespace(TasksGrpc.newBlockingStub(grpc.channel()), sandbox.namespace());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (String id : ids) {
                ProcessRef init = ProcessRef.init(sandbox.namespace(), id);
                try {
                    tasks.kill(init, 9, true);
                    tasks.wait(init);
                } catch (BerthException e) {
                    // not running, or already gone
                }
                try {
                    tasks.delete(sandbox.namespace(), id);
                } catch (BerthException e) {
                    // already deleted
                }
            }
        } finally {
            try {
                grpc.close();
                metadata.close();
                executor.shutdownNow();
            } finally {
                sandbox.close();
            }
        }
    }

    @Test
    void lifecycle_createStartWaitDelete_answersAsContainerd() throws Exception {
        String id = container(List.of("sh", "-c", "exit 42"));
        CreateTaskResponse created = stub.create(create(id));
        assertEquals(id, created.getContainerId());
        assertTrue(created.getPid() > 0);
        assertCode(Code.ALREADY_EXISTS, () -> stub.create(create(id)));

        Process state = get(id);
        assertEquals(Status.CREATED, state.getStatus());
        assertEquals(id, state.getId());
        assertEquals(created.getPid(), state.getPid());
        assertEquals(List.of(id), stub.list(ListTasksRequest.getDefaultInstance()).getTasksList().stream()
                .map(Process::getId).toList());

        assertEquals(created.getPid(), stub.start(StartRequest.newBuilder().setContainerId(id).build()).getPid());
        WaitResponse exit = stub.wait(WaitRequest.newBuilder().setContainerId(id).build());
        assertEquals(42, exit.getExitStatus());
        assertTrue(exit.hasExitedAt());
        Process stopped = get(id);
        assertEquals(Status.STOPPED, stopped.getStatus());
        assertEquals(42, stopped.getExitStatus());

        DeleteResponse deleted = stub.delete(DeleteTaskRequest.newBuilder().setContainerId(id).build());
        assertEquals(42, deleted.getExitStatus());
        assertEquals(created.getPid(), deleted.getPid());
        assertEquals(exit.getExitedAt(), deleted.getExitedAt());
        assertCode(Code.NOT_FOUND, () -> get(id));
        assertEquals(0, stub.list(ListTasksRequest.getDefaultInstance()).getTasksCount());
    }

    @Test
    void runningTask_execPauseResumePidsMetricsKill() throws Exception {
        String id = container(List.of("sleep", "1000"));
        stub.create(create(id));
        stub.start(StartRequest.newBuilder().setContainerId(id).build());
        assertEquals(Status.RUNNING, get(id).getStatus());

        Path out = Files.createFile(sandbox.tmp().resolve("exec-out"));
        Path err = Files.createFile(sandbox.tmp().resolve("exec-err"));
        stub.exec(ExecProcessRequest.newBuilder().setContainerId(id).setExecId("probe").setStdout(out.toString())
                .setStderr(err.toString()).setSpec(TaskSandbox.execProcess(List.of("sh", "-c", "echo ok; exit 3")))
                .build());
        assertEquals("probe", stub.get(GetRequest.newBuilder().setContainerId(id).setExecId("probe").build())
                .getProcess().getId());
        stub.start(StartRequest.newBuilder().setContainerId(id).setExecId("probe").build());
        assertEquals(3, stub.wait(WaitRequest.newBuilder().setContainerId(id).setExecId("probe").build())
                .getExitStatus());
        DeleteResponse execDeleted = stub.deleteProcess(DeleteProcessRequest.newBuilder().setContainerId(id)
                .setExecId("probe").build());
        assertEquals("probe", execDeleted.getId());
        assertEquals(3, execDeleted.getExitStatus());
        assertEquals("ok\n", Files.readString(out));

        stub.pause(PauseTaskRequest.newBuilder().setContainerId(id).build());
        assertEquals(Status.PAUSED, get(id).getStatus());
        assertEquals(List.of(id), stub.list(ListTasksRequest.newBuilder().setFilter("status==paused").build())
                .getTasksList().stream().map(Process::getId).toList());
        stub.resume(ResumeTaskRequest.newBuilder().setContainerId(id).build());
        assertEquals(Status.RUNNING, get(id).getStatus());
        assertEquals(0, stub.list(ListTasksRequest.newBuilder().setFilter("status==paused").build())
                .getTasksCount());
        assertFalse(stub.listPids(ListPidsRequest.newBuilder().setContainerId(id).build()).getProcessesList()
                .isEmpty());

        MetricsResponse metrics = stub.metrics(MetricsRequest.newBuilder().addFilters("id==" + id).build());
        assertEquals(1, metrics.getMetricsCount());
        assertEquals(id, metrics.getMetrics(0).getId());
        assertTrue(metrics.getMetrics(0).getData().getTypeUrl().contains("Metrics"),
                metrics.getMetrics(0).getData().getTypeUrl());
        assertTrue(metrics.getMetrics(0).hasTimestamp());
        assertEquals(0, stub.metrics(MetricsRequest.newBuilder().addFilters("id==other").build())
                .getMetricsCount());

        stub.kill(KillRequest.newBuilder().setContainerId(id).setSignal(9).build());
        assertEquals(137, stub.wait(WaitRequest.newBuilder().setContainerId(id).build()).getExitStatus());
        assertEquals(137, stub.delete(DeleteTaskRequest.newBuilder().setContainerId(id).build()).getExitStatus());
    }

    @Test
    void errors_unknownContainerOrTask_checkpoint_emptyExecId() throws Exception {
        StatusRuntimeException unknown = assertCode(Code.NOT_FOUND, () -> stub.create(create("nothing")));
        assertEquals("container nothing: not found", unknown.getStatus().getDescription());
        String id = container(List.of("true")); // a container without a task
        assertCode(Code.NOT_FOUND, () -> get(id));
        assertCode(Code.NOT_FOUND, () -> stub.start(StartRequest.newBuilder().setContainerId(id).build()));
        StatusRuntimeException checkpoint = assertCode(Code.UNIMPLEMENTED, () -> stub.checkpoint(
                CheckpointTaskRequest.newBuilder().setContainerId(id).build()));
        assertEquals("checkpoint " + id + ": not implemented by berthd", checkpoint.getStatus().getDescription());
        assertCode(Code.INVALID_ARGUMENT, () -> stub.exec(ExecProcessRequest.newBuilder().setContainerId(id)
                .setSpec(TaskSandbox.execProcess(List.of("true"))).build()));
        assertCode(Code.INVALID_ARGUMENT, () -> TasksGrpc.newBlockingStub(grpc.channel())
                .get(GetRequest.newBuilder().setContainerId(id).build()));
    }

    // --- helpers ---

    /** A container record whose spec runs {@code args}, as ctr would create it before its task. */
    private String container(List<String> args) throws Exception {
        String id = "t-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        ids.add(id);
        metadata.containers(sandbox.namespace()).create(ContainerRecord.builder(id)
                .runtime(new ContainerRecord.Runtime(ShimBinaries.RUNC_V2, AnyValue.EMPTY))
                .spec(new AnyValue(SPEC_TYPE, sandbox.spec(id, args))).build());
        return id;
    }

    private CreateTaskRequest create(String id) {
        return CreateTaskRequest.newBuilder().setContainerId(id)
                .addAllRootfs(SnapshotsService.toProto(sandbox.rootfsMounts())).build();
    }

    private Process get(String id) {
        return stub.get(GetRequest.newBuilder().setContainerId(id).build()).getProcess();
    }

    private static StatusRuntimeException assertCode(Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return e;
    }
}
