package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.AttachInput;
import dev.berth.api.services.engine.v1.AttachRequest;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.ExecCreateRequest;
import dev.berth.api.services.engine.v1.ExecInput;
import dev.berth.api.services.engine.v1.ExecRef;
import dev.berth.api.services.engine.v1.ExecStartRequest;
import dev.berth.api.services.engine.v1.OutputChunk;
import dev.berth.it.support.Wait;
import dev.berth.model.DockerJson;
import dev.berth.model.ExecConfig;
import dev.berth.model.HostConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streams of attach and exec with real containers: exec {@code -u} by name, docker's detach keys on a
 * terminal (the attachment ends, the process runs on), and stdin's end reaching the process once the last
 * attached writer is done.
 */
class EngineStdioTest {
    private EngineFixture f;

    @BeforeEach
    void start() throws Exception {
        f = EngineFixture.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    /** A stream's output and how it ended: exit code, detach, or the stream's plain end. */
    private static final class Stream implements StreamObserver<OutputChunk> {
        final StringBuilder out = new StringBuilder();
        final CompletableFuture<String> end = new CompletableFuture<>();

        @Override
        public synchronized void onNext(OutputChunk c) {
            if (c.getDetached()) {
                end.complete("detached");
            } else if (c.getExited()) {
                end.complete("exit " + c.getExitCode());
            } else {
                out.append(c.getData().toStringUtf8());
            }
        }

        @Override
        public void onError(Throwable t) {
            end.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            end.complete("completed");
        }

        synchronized String output() {
            return out.toString();
        }
    }

    private String execCreate(String container, ExecConfig config) {
        return f.containers().execCreate(ExecCreateRequest.newBuilder().setContainer(container)
                .setConfig(ByteString.copyFrom(DockerJson.write(config))).build()).getId();
    }

    private String execOutput(String container, String user, String... cmd) throws Exception {
        String exec = execCreate(container, new ExecConfig(false, true, true, null, false, null, List.of(cmd),
                false, user, null));
        Stream s = new Stream();
        StreamObserver<ExecInput> in = f.containersAsync().execStart(s);
        in.onNext(ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(exec)).build());
        assertEquals("exit 0", s.end.get(20, TimeUnit.SECONDS), s.output());
        in.onCompleted();
        return s.output();
    }

    private void startSleeper(String name, HostConfig host) {
        f.create(name, cmd("sleep", "60"), host);
        f.containers().start(ContainerRef.newBuilder().setId(name).build());
    }

    @Test
    void exec_userByName_fromTheContainersPasswdAndGroup() throws Exception {
        startSleeper("users", new HostConfig.Builder().groupAdd(List.of("nogroup")).build());
        assertEquals("uid=1000(user) gid=1000(user) groups=1000(user),65534(nogroup)\n",
                execOutput("users", "user", "id"), "the user's primary group, then the container's --group-add");
        assertEquals("uid=1000(user) gid=65534(nogroup) groups=65534(nogroup)\n",
                execOutput("users", "user:nogroup", "id"));
        assertEquals("uid=4242 gid=0(root) groups=0(root),65534(nogroup)\n", execOutput("users", "4242", "id"),
                "a number not in passwd is used as it is, with group 0");
    }

    @Test
    void exec_workdirAndEnv() throws Exception {
        startSleeper("workdir", null);
        String exec = execCreate("workdir", new ExecConfig(false, true, true, null, false, List.of("X=1"),
                List.of("sh", "-c", "pwd; echo X=$X; id -u"), false, "nobody", "/tmp"));
        Stream s = new Stream();
        StreamObserver<ExecInput> in = f.containersAsync().execStart(s);
        in.onNext(ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(exec)).build());
        assertEquals("exit 0", s.end.get(20, TimeUnit.SECONDS), s.output());
        assertEquals("/tmp\nX=1\n65534\n", s.output());
        in.onCompleted();
    }

    @Test
    void exec_unknownUserName_failsNamingTheContainer() throws Exception {
        startSleeper("nouser", null);
        String id = f.inspect("nouser").path("Id").asText();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> execCreate("nouser",
                new ExecConfig(false, true, true, null, false, null, List.of("id"), false, "nosuch", null)));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("exec in container " + id + ": unable to find user nosuch: no matching entries in passwd file",
                e.getStatus().getDescription());
    }

    @Test
    void attach_detachKeys_endTheAttachmentNotTheContainer() throws Exception {
        String id = f.create("detach", cmd("cat").tty(true).openStdin(true).attachStdin(true), null);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        Stream s = new Stream();
        StreamObserver<AttachInput> in = f.containersAsync().attach(s);
        in.onNext(AttachInput.newBuilder().setStart(AttachRequest.newBuilder().setId(id).setStdin(true)
                .setStdout(true)).build());
        in.onNext(AttachInput.newBuilder().setStdin(ByteString.copyFromUtf8("hi\n")).build());
        Wait.until("output hi", Duration.ofSeconds(10), () -> s.output().contains("hi"));
        // ctrl-p, ctrl-q (the default), each as a key press of its own
        in.onNext(AttachInput.newBuilder().setStdin(ByteString.copyFrom(new byte[] {16})).build());
        in.onNext(AttachInput.newBuilder().setStdin(ByteString.copyFrom(new byte[] {17})).build());
        assertEquals("detached", s.end.get(10, TimeUnit.SECONDS));
        in.onCompleted();
        Thread.sleep(300);
        assertTrue(f.inspect(id).path("State").path("Running").asBoolean(), "the container runs on");
    }

    @Test
    void attach_invalidDetachKeys_refused() throws Exception {
        String id = f.create("badkeys", cmd("cat").tty(true).openStdin(true), null);
        Stream s = new Stream();
        StreamObserver<AttachInput> in = f.containersAsync().attach(s);
        in.onNext(AttachInput.newBuilder().setStart(AttachRequest.newBuilder().setId(id).setStdin(true)
                .setDetachKeys("ctrl-1")).build());
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> s.end.get(10, TimeUnit.SECONDS));
        assertEquals("Invalid detach keys (ctrl-1) provided",
                ((StatusRuntimeException) e.getCause()).getStatus().getDescription());
    }

    @Test
    void exec_detachKeysOfTheExecConfig_endTheSessionNotTheExec() throws Exception {
        startSleeper("execdetach", null);
        String exec = execCreate("execdetach", new ExecConfig(true, true, true, "ctrl-x,y", true, null,
                List.of("cat"), false, null, null));
        Stream s = new Stream();
        StreamObserver<ExecInput> in = f.containersAsync().execStart(s);
        in.onNext(ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(exec).setTty(true)).build());
        in.onNext(ExecInput.newBuilder().setStdin(ByteString.copyFromUtf8("ab\n")).build());
        Wait.until("output ab", Duration.ofSeconds(10), () -> s.output().contains("ab"));
        in.onNext(ExecInput.newBuilder().setStdin(ByteString.copyFrom(new byte[] {24, 'y'})).build());
        assertEquals("detached", s.end.get(10, TimeUnit.SECONDS));
        in.onCompleted();
        Thread.sleep(300);
        assertTrue(EngineFixture.json(f.containers().execInspect(ExecRef.newBuilder().setId(exec).build())
                .getJson()).path("Running").asBoolean(), "the exec runs on");
    }

    @Test
    void exec_stdinEnd_reachesTheProcess() throws Exception {
        startSleeper("execstdin", null);
        String exec = execCreate("execstdin", new ExecConfig(true, true, true, null, false, null,
                List.of("cat"), false, null, null));
        Stream s = new Stream();
        StreamObserver<ExecInput> in = f.containersAsync().execStart(s);
        in.onNext(ExecInput.newBuilder().setStart(ExecStartRequest.newBuilder().setId(exec)).build());
        in.onNext(ExecInput.newBuilder().setStdin(ByteString.copyFromUtf8("one\n")).build());
        in.onNext(ExecInput.newBuilder().setCloseStdin(true).build());
        assertEquals("exit 0", s.end.get(20, TimeUnit.SECONDS));
        assertEquals("one\n", s.output());
        in.onCompleted();
    }

    @Test
    void attach_stdinClosesAfterTheLastWriter() throws Exception {
        String id = f.create("writers", cmd("cat").openStdin(true), null);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        Stream a = new Stream();
        Stream b = new Stream();
        StreamObserver<AttachInput> inA = f.containersAsync().attach(a);
        StreamObserver<AttachInput> inB = f.containersAsync().attach(b);
        for (StreamObserver<AttachInput> in : List.of(inA, inB)) {
            in.onNext(AttachInput.newBuilder().setStart(AttachRequest.newBuilder().setId(id).setStdin(true)
                    .setStdout(true)).build());
        }
        Thread.sleep(300);
        inA.onNext(AttachInput.newBuilder().setStdin(ByteString.copyFromUtf8("from a\n")).build());
        inA.onNext(AttachInput.newBuilder().setCloseStdin(true).build());
        // two streams: b writes once a's line is through, so the order of the output is known
        Wait.until("output from a", Duration.ofSeconds(10), () -> b.output().contains("from a"));
        inB.onNext(AttachInput.newBuilder().setStdin(ByteString.copyFromUtf8("from b\n")).build());
        Wait.until("output from b", Duration.ofSeconds(10), () -> b.output().contains("from b"));
        assertFalse(a.end.isDone() || b.end.isDone(), "one writer left: the container's stdin stays open");
        assertTrue(f.inspect(id).path("State").path("Running").asBoolean());
        inB.onNext(AttachInput.newBuilder().setCloseStdin(true).build());
        assertEquals("exit 0", b.end.get(20, TimeUnit.SECONDS), "the last writer's end is cat's end-of-file");
        assertEquals("from a\nfrom b\n", b.output());
        inA.onCompleted();
        inB.onCompleted();
    }
}
