package dev.berth.runtime.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParentProcessTest {
    @TempDir
    Path tmp;

    private static byte[] frame(int type, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(type).putInt(payload.length).put(payload).array();
    }

    private static byte[] pid(int pid) {
        return frame(SyncMessage.PID, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(pid).array());
    }

    private static byte[] error(int errno, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return frame(SyncMessage.ERROR, ByteBuffer.allocate(4 + t.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(errno).put(t).array());
    }

    private ParentProcess parent(RecordingSyscalls sys) throws IOException {
        Path init = Files.writeString(tmp.resolve("berth-init"), "#!binary");
        return new ParentProcess(sys, sys, init);
    }

    private static final class Recorder implements ParentProcess.Callbacks {
        final List<String> events = new ArrayList<>();

        @Override
        public void onSpawned(int initPid) {
            events.add("spawned " + initPid);
        }

        @Override
        public byte[] onHooks(int containerPid) {
            events.add("hooks " + containerPid);
            return "{\"status\":\"creating\"}".getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void run_create_spawnsSealedInitSendsPlanAnswersHooksAndReturnsContainerPid() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls()
                .script(pid(4242)).script(frame(SyncMessage.HOOKS, new byte[0]))
                .script(frame(SyncMessage.READY, new byte[0]));
        Recorder callbacks = new Recorder();
        InitPlan plan = new InitPlan().fdCloexecFrom(5).ready();

        int pid = parent(sys).run(plan, new ParentProcess.Launch(2, Map.of(), -1, false), callbacks);

        assertEquals(4242, pid);
        assertEquals(List.of("spawned 100", "hooks 4242"), callbacks.events);
        assertTrue(sys.calls.contains("sealedCopy berth-init 8"), sys.calls.toString());
        // two preserved fds: the sync socket goes to fd 5, after them
        assertTrue(sys.calls.contains("spawn /proc/self/fd/7 [berth-init] [_BERTH_SYNC_FD=5] {5=11}"),
                sys.calls.toString());
        assertEquals(ByteBuffer.wrap(sys.writes.get(0)).order(ByteOrder.LITTLE_ENDIAN).getInt(), SyncMessage.PLAN);
        assertEquals(ByteBuffer.wrap(sys.writes.get(1)).order(ByteOrder.LITTLE_ENDIAN).getInt(), SyncMessage.HOOKS_DONE);
        assertTrue(sys.calls.contains("waitpid 100"), "berth-init (P) is reaped: " + sys.calls);
        assertTrue(sys.calls.stream().noneMatch(c -> c.startsWith("kill")), sys.calls.toString());
    }

    @Test
    void run_consoleSocket_isHandedOverAfterTheSyncSocket() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls().script(pid(9)).script(frame(SyncMessage.READY, new byte[0]));
        parent(sys).run(new InitPlan(), new ParentProcess.Launch(0, Map.of(1, 30), 20, false), new Recorder());
        assertTrue(sys.calls.contains("spawn /proc/self/fd/7 [berth-init] [_BERTH_SYNC_FD=3] {1=30, 3=11, 4=20}"),
                sys.calls.toString());
    }

    @Test
    void run_errorFromInit_throwsStepAndErrnoAndKillsBothProcesses() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls().script(pid(4242)).script(error(2, "mount proc to /proc"));
        InitException e = assertThrows(InitException.class, () -> parent(sys).run(new InitPlan(),
                new ParentProcess.Launch(0, Map.of(), -1, false), new Recorder()));
        assertEquals("mount proc to /proc: no such file or directory", e.getMessage());
        assertEquals(2, e.errno());
        assertTrue(sys.calls.containsAll(List.of("kill 4242 9", "waitpid 4242", "kill 100 9", "waitpid 100")),
                sys.calls.toString());
    }

    @Test
    void run_initExitsSilently_isAnErrorNotASuccess() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls().script(pid(4242));
        InitException e = assertThrows(InitException.class, () -> parent(sys).run(new InitPlan(),
                new ParentProcess.Launch(0, Map.of(), -1, false), new Recorder()));
        assertTrue(e.getMessage().startsWith("berth-init exited before the container process was ready"),
                e.getMessage());
    }

    @Test
    void run_exec_readsOnAfterReadyUntilTheExecveFails() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls().script(pid(77)).script(frame(SyncMessage.READY, new byte[0]))
                .script(error(13, "exec /bin/nope"));
        InitException e = assertThrows(InitException.class, () -> parent(sys).run(new InitPlan(),
                new ParentProcess.Launch(0, Map.of(), -1, true), new Recorder()));
        assertEquals("exec /bin/nope: permission denied", e.getMessage());
    }

    @Test
    void run_exec_endOfFileAfterReadyMeansTheExecveHappened() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls().script(pid(77)).script(frame(SyncMessage.READY, new byte[0]));
        assertEquals(77, parent(sys).run(new InitPlan(), new ParentProcess.Launch(0, Map.of(), -1, true),
                new Recorder()));
    }

    @Test
    void run_spawnFails_closesTheChildEndAndStartsNothing() throws IOException {
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.spawnFailure = new IllegalStateException("spawn failed");
        assertThrows(IllegalStateException.class, () -> parent(sys).run(new InitPlan(),
                new ParentProcess.Launch(0, Map.of(), -1, false), new Recorder()));
        assertTrue(sys.calls.containsAll(List.of("close 11", "close 10")), sys.calls.toString());
    }
}
