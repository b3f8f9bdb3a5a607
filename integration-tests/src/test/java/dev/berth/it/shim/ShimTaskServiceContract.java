package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import dev.berth.api.errdefs.Code;
import dev.berth.api.runtime.runc.options.Options;
import dev.berth.api.runtime.task.v2.CloseIORequest;
import dev.berth.api.runtime.task.v2.CreateTaskRequest;
import dev.berth.api.runtime.task.v2.CreateTaskResponse;
import dev.berth.api.runtime.task.v2.DeleteRequest;
import dev.berth.api.runtime.task.v2.KillRequest;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.api.runtime.task.v2.ResizePtyRequest;
import dev.berth.api.runtime.task.v2.ShutdownRequest;
import dev.berth.api.runtime.task.v2.StartRequest;
import dev.berth.api.runtime.task.v2.StartResponse;
import dev.berth.api.runtime.task.v2.StateRequest;
import dev.berth.api.runtime.task.v2.StateResponse;
import dev.berth.api.runtime.task.v2.WaitRequest;
import dev.berth.api.runtime.task.v2.WaitResponse;
import dev.berth.api.ttrpc.TtrpcException;
import dev.berth.api.types.task.Status;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * berth-shim driven directly over ttrpc as containerd drives it ({@code start} in the bundle, then the task API),
 * with a fake events service on {@code TTRPC_ADDRESS} that records what the shim publishes. Each subclass selects
 * an engine through the runc options of Create.
 */
abstract class ShimTaskServiceContract {
    /** The runc options to send with Create; empty for none. */
    abstract Optional<Options> runtimeOptions();

    private ShimFixture fixture;
    private Path tmp;
    private String namespace;
    private String id;
    private Bundle bundle;
    private ShimFixture.Shim shim;

    @BeforeEach
    void startShim() throws Exception {
        fixture = ShimFixture.create("bst-");
        tmp = fixture.tmp;
        namespace = fixture.namespace;
        id = "it-" + ContainerdFixture.random();
        bundle = Bundle.create(tmp.resolve("bundle"), "/" + namespace + "/" + id).args("sh", "-c",
                "echo hi from $$; exit 7").writeConfig();
        shim = fixture.startAndConnect(bundle.dir(), id);
    }

    @AfterEach
    void stopShim() throws Exception {
        fixture.close();
    }

    private List<String> topics() {
        return fixture.delivered().stream().map(e -> e.getTopic() + " " + e.getEvent().getTypeUrl()).toList();
    }

    @Test
    void createStartWaitDelete_runsTheContainerAndPublishesEventsInOrder() throws Exception {
        Path stdout = Files.createFile(tmp.resolve("stdout"));
        CreateTaskRequest.Builder create = CreateTaskRequest.newBuilder().setId(id).setBundle(bundle.dir().toString())
                .setStdout(stdout.toString());
        runtimeOptions().ifPresent(o -> create.setOptions(Any.newBuilder().setTypeUrl("containerd.runc.v1.Options")
                .setValue(o.toByteString())));
        int pid = call("Create", create.build(), CreateTaskResponse.parser()).getPid();
        assertTrue(pid > 0);
        assertEquals(Status.CREATED, state().getStatus());

        assertEquals(pid, call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser()).getPid());
        WaitResponse exit = call("Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser());
        assertEquals(7, exit.getExitStatus());
        assertEquals(Status.STOPPED, state().getStatus());
        assertEquals(7, state().getExitStatus());
        assertEquals("hi from 1\n", Files.readString(stdout));

        TtrpcException again = assertThrows(TtrpcException.class,
                () -> call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser()));
        assertEquals(Code.FAILED_PRECONDITION, again.code(), again.getMessage());
        assertTrue(again.getMessage().contains(id), again.getMessage());

        DeleteResponse deleted = call("Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
        assertEquals(7, deleted.getExitStatus());
        TtrpcException gone = assertThrows(TtrpcException.class, this::state);
        assertEquals(Code.NOT_FOUND, gone.code(), gone.getMessage());
        assertEquals(List.of(), CgroupFs.existingDirs("/" + namespace + "/" + id), "cgroup left");

        Wait.until("four events delivered", Duration.ofSeconds(10), () -> topics().size() >= 4);
        assertEquals(List.of("/tasks/create containerd.events.TaskCreate", "/tasks/start containerd.events.TaskStart",
                "/tasks/exit containerd.events.TaskExit", "/tasks/delete containerd.events.TaskDelete"), topics());

        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    @Test
    void state_unknownId_isNotFound() {
        TtrpcException e = assertThrows(TtrpcException.class, () -> call("State",
                StateRequest.newBuilder().setId("nope").build(), StateResponse.parser()));
        assertEquals(Code.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("state nope"), e.getMessage());
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    @Test
    void createWithTerminal_resizePtyInputAndCloseIo_reachTheProcess() throws Exception {
        bundle.terminal(true).sh("read line; stty size; echo \"got:$line\"; cat; echo after-cat; exit 3")
                .writeConfig();
        Path stdin = fifo("in");
        Path stdout = fifo("out");
        // opening the reader waits for the shim's writer, opened by Create
        CompletableFuture<String> shown = CompletableFuture.supplyAsync(() -> readAll(stdout));
        call("Create", createRequest().setTerminal(true).setStdin(stdin.toString()).setStdout(stdout.toString())
                .build(), CreateTaskResponse.parser());
        call("ResizePty", ResizePtyRequest.newBuilder().setId(id).setWidth(91).setHeight(33).build(), Empty.parser());
        call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser());
        try (OutputStream in = Files.newOutputStream(stdin)) {
            in.write("hello\nworld\n".getBytes(StandardCharsets.UTF_8));
        }
        call("CloseIO", CloseIORequest.newBuilder().setId(id).setStdin(true).build(), Empty.parser());
        assertEquals(3, call("Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser())
                .getExitStatus());
        assertTrue(state().getTerminal());
        call("Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
        String out = shown.get(10, TimeUnit.SECONDS).replace("\r", "");
        assertTrue(out.contains("33 91\n"), out);
        assertTrue(out.contains("got:hello\n"), out);
        assertTrue(out.contains("world\n"), out);
        assertTrue(out.endsWith("after-cat\n"), out);
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    @Test
    void closeIo_stdinWithoutTerminal_endsTheInputOfCat() throws Exception {
        bundle.args("cat").writeConfig();
        Path stdin = fifo("in");
        Path stdout = Files.createFile(tmp.resolve("stdout"));
        call("Create", createRequest().setStdin(stdin.toString()).setStdout(stdout.toString()).build(),
                CreateTaskResponse.parser());
        call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser());
        try (OutputStream in = Files.newOutputStream(stdin)) {
            in.write("data\n".getBytes(StandardCharsets.UTF_8));
        }
        call("CloseIO", CloseIORequest.newBuilder().setId(id).setStdin(true).build(), Empty.parser());
        assertEquals(0, call("Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser())
                .getExitStatus());
        assertEquals("data\n", Files.readString(stdout));
        call("Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    @Test
    void badInput_eachGetsItsCodeNamingTheOperationAndTheId_andNothingStays() throws Exception {
        TtrpcException startFirst = assertThrows(TtrpcException.class,
                () -> call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser()));
        assertEquals(Code.NOT_FOUND, startFirst.code(), startFirst.getMessage());
        assertTrue(startFirst.getMessage().contains(id), startFirst.getMessage());

        Path missing = tmp.resolve("no-such-bundle");
        TtrpcException noBundle = assertThrows(TtrpcException.class, () -> call("Create",
                createRequest().setBundle(missing.toString()).build(), CreateTaskResponse.parser()));
        assertTrue(noBundle.getMessage().contains(missing.toString()), noBundle.getMessage());
        assertEquals(Code.NOT_FOUND, assertThrows(TtrpcException.class, this::state).code(),
                "a failed create leaves no task");
        assertEquals(List.of(), CgroupFs.existingDirs("/" + namespace + "/" + id), "cgroup left");

        call("Create", createRequest().build(), CreateTaskResponse.parser());
        TtrpcException twice = assertThrows(TtrpcException.class,
                () -> call("Create", createRequest().build(), CreateTaskResponse.parser()));
        assertEquals(Code.ALREADY_EXISTS, twice.code(), twice.getMessage());
        assertTrue(twice.getMessage().contains(id), twice.getMessage());

        call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser());
        assertEquals(7, call("Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser())
                .getExitStatus());
        TtrpcException killExited = assertThrows(TtrpcException.class, () -> call("Kill",
                KillRequest.newBuilder().setId(id).setSignal(9).build(), Empty.parser()));
        assertEquals(Code.NOT_FOUND, killExited.code(), killExited.getMessage());
        assertTrue(killExited.getMessage().contains(id), killExited.getMessage());

        call("Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
        assertEquals(List.of(), CgroupFs.existingDirs("/" + namespace + "/" + id), "cgroup left");
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    @Test
    void create_runtimeBinaryThatFails_isAnErrorNamingTheTask_andNothingStays() throws Exception {
        Options failing = Options.newBuilder().setBinaryName("/bin/false").build();
        TtrpcException e = assertThrows(TtrpcException.class, () -> call("Create", CreateTaskRequest.newBuilder()
                .setId(id).setBundle(bundle.dir().toString()).setOptions(Any.newBuilder()
                        .setTypeUrl("containerd.runc.v1.Options").setValue(failing.toByteString())).build(),
                CreateTaskResponse.parser()));
        assertTrue(e.getMessage().contains(id), e.getMessage());
        assertEquals(Code.NOT_FOUND, assertThrows(TtrpcException.class, this::state).code(),
                "a failed create leaves no task");
        assertEquals(List.of(), CgroupFs.existingDirs("/" + namespace + "/" + id), "cgroup left");
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());
    }

    @Test
    void deleteVerb_afterTheTaskIsDeleted_answersWithoutAJvm() throws Exception {
        call("Create", createRequest().build(), CreateTaskResponse.parser());
        call("Start", StartRequest.newBuilder().setId(id).build(), StartResponse.parser());
        call("Wait", WaitRequest.newBuilder().setId(id).build(), WaitResponse.parser());
        call("Delete", DeleteRequest.newBuilder().setId(id).build(), DeleteResponse.parser());
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).build(), Empty.parser());

        // what containerd runs after the shim exits; with no JDK the JVM's delete could not run
        DeleteResponse cleanedUp = deleteVerb(Optional.of("/nonexistent-jdk"));
        assertEquals(137, cleanedUp.getExitStatus());
        assertTrue(cleanedUp.getExitedAt().getSeconds() > 0, cleanedUp.toString());
    }

    @Test
    void deleteVerb_afterAShimThatNeverDeleted_cleansUpInTheJvm() throws Exception {
        call("Shutdown", ShutdownRequest.newBuilder().setId(id).setNow(true).build(), Empty.parser());

        DeleteResponse cleanedUp = deleteVerb(Optional.empty());
        assertEquals(137, cleanedUp.getExitStatus());
        assertEquals(1, deleteVerbExitStatus(Optional.of("/nonexistent-jdk")), "the JVM's delete was needed");
    }

    /** {@code berth-shim … -bundle B delete}, with {@code BERTH_JAVA_HOME} set to {@code javaHome} if given. */
    private Process startDeleteVerb(Optional<String> javaHome) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ShimFixture.repo().resolve("bin/berth-shim").toString(), "-namespace",
                namespace,
                "-address", tmp.resolve("containerd.sock").toString(), "-publish-binary", "/bin/true", "-id", id,
                "-bundle", bundle.dir().toString(), "delete").redirectError(ProcessBuilder.Redirect.DISCARD);
        javaHome.ifPresent(home -> pb.environment().put("BERTH_JAVA_HOME", home));
        Process delete = pb.start();
        delete.getOutputStream().close();
        return delete;
    }

    private DeleteResponse deleteVerb(Optional<String> javaHome) throws IOException, InterruptedException {
        Process delete = startDeleteVerb(javaHome);
        byte[] out = delete.getInputStream().readAllBytes();
        assertTrue(delete.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, delete.exitValue());
        return DeleteResponse.parseFrom(out);
    }

    private int deleteVerbExitStatus(Optional<String> javaHome) throws IOException, InterruptedException {
        Process delete = startDeleteVerb(javaHome);
        delete.getInputStream().readAllBytes();
        assertTrue(delete.waitFor(30, TimeUnit.SECONDS));
        return delete.exitValue();
    }

    private CreateTaskRequest.Builder createRequest() {
        CreateTaskRequest.Builder create = CreateTaskRequest.newBuilder().setId(id).setBundle(bundle.dir().toString());
        runtimeOptions().ifPresent(o -> create.setOptions(Any.newBuilder().setTypeUrl("containerd.runc.v1.Options")
                .setValue(o.toByteString())));
        return create;
    }

    private Path fifo(String name) throws IOException, InterruptedException {
        Path p = tmp.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        return p;
    }

    private static String readAll(Path fifo) {
        try (InputStream in = Files.newInputStream(fifo)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private StateResponse state() {
        return call("State", StateRequest.newBuilder().setId(id).build(), StateResponse.parser());
    }

    private <T extends com.google.protobuf.MessageLite> T call(String method, com.google.protobuf.MessageLite request,
                                                               com.google.protobuf.Parser<T> parser) {
        return shim.call(method, request, parser);
    }
}
