package dev.berth.shim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import dev.berth.shim.process.Reaper;
import dev.berth.shim.process.ReaperSyscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link RuntimeEngine} keeps, with real busybox containers. The test JVM plays the shim: it is
 * the child subreaper and waits for every child through one {@link Reaper}, so container processes that a runtime
 * binary leaves behind are re-parented to it and their exits are seen.
 */
abstract class RuntimeEngineContract {
    private static final long TIMEOUT_SECONDS = 20;
    private static final int SIGKILL = 9;

    /** The engine under test, keeping its state under {@code root}. */
    protected abstract RuntimeEngine engine(Syscalls sys, Path root, Path log) throws Exception;

    @TempDir
    Path tmp;

    private final Syscalls linux = LinuxSyscalls.loadBuilt();
    private final String name = "berth-shimtest-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> ids = new ArrayList<>();
    private final List<CompletableFuture<Reaper.Exit>> exits = new ArrayList<>();
    private final List<Integer> pids = new ArrayList<>();
    private Reaper reaper;
    private Syscalls sys;
    private RuntimeEngine engine;

    @BeforeAll
    static void becomeSubreaper() {
        LinuxSyscalls.loadBuilt().setChildSubreaper();
    }

    static Path repo() {
        return Path.of(System.getProperty("berth.repo", "..")).toAbsolutePath().normalize();
    }

    @BeforeEach
    void startEngine() throws Exception {
        reaper = Reaper.start(linux, exit -> { });
        sys = linux.withProcesses(new ReaperSyscalls(linux, reaper));
        engine = engine(sys, tmp.resolve("root"), tmp.resolve("log.json"));
    }

    @AfterEach
    void removeEverything() throws Exception {
        try {
            for (String id : ids) {
                try {
                    engine.delete(id, true);
                } catch (EngineException e) {
                    if (e.kind() != EngineException.Kind.NOT_FOUND) {
                        throw e;
                    }
                }
            }
            // delete --force must have ended every process of the container: wait, then kill what is left
            List<Integer> leftover = new ArrayList<>();
            for (int i = 0; i < exits.size(); i++) {
                try {
                    exits.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    leftover.add(pids.get(i));
                    linux.kill(pids.get(i), SIGKILL);
                }
            }
            assertEquals(List.of(), leftover, "processes left running");
            Path root = tmp.resolve("root");
            if (Files.isDirectory(root)) {
                try (Stream<Path> left = Files.list(root)) {
                    assertEquals(List.of(), left.toList(), "state left under " + root);
                }
            }
            try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path controller : controllers.toList()) {
                    for (String id : ids) {
                        Path dir = controller.resolve(name + "-" + id);
                        assertFalse(Files.exists(dir), "cgroup left: " + dir);
                    }
                }
            }
        } finally {
            reaper.close();
        }
    }

    private Path bundle(String id, String... args) throws IOException {
        return BusyboxBundle.create(Files.createDirectories(tmp.resolve("bundles").resolve(id)),
                "/" + name + "-" + id, args);
    }

    private String newId() {
        String id = "shimtest-" + UUID.randomUUID().toString().substring(0, 8);
        ids.add(id);
        return id;
    }

    /** Creates through the engine inside a reaper window, so that the init's exit cannot be missed. */
    private Started create(String id, Path bundle, CreateRequest request) {
        try (Reaper.Window window = reaper.open()) {
            int pid = engine.create(id, bundle, request);
            return started(pid, window.claim(pid));
        }
    }

    private Started exec(String id, String process, ExecRequest request) {
        try (Reaper.Window window = reaper.open()) {
            int pid = engine.exec(id, process, request);
            return started(pid, window.claim(pid));
        }
    }

    private Started started(int pid, CompletableFuture<Reaper.Exit> exit) {
        pids.add(pid);
        exits.add(exit);
        return new Started(pid, exit);
    }

    private record Started(int pid, CompletableFuture<Reaper.Exit> exit) {
        int status() throws Exception {
            return exit.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status();
        }
    }

    /** A pipe whose write end goes to a process as stdout; the read end is drained until every writer closed it. */
    private final class Pipe {
        final int readFd;
        final int writeFd;
        private boolean writeClosed;

        Pipe() {
            int[] fds = linux.pipe();
            readFd = fds[0];
            writeFd = fds[1];
        }

        ProcessStdio asStdout() {
            return new ProcessStdio(ProcessStdio.NULL, new ProcessStdio.Stream.Fd(writeFd), ProcessStdio.NULL);
        }

        /** Closes this side's write end, then reads to the end on a thread of its own. */
        CompletableFuture<String> drain() {
            closeWriteEnd();
            CompletableFuture<String> text = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = linux.read(readFd, buf, 0, buf.length)) > 0) {
                        out.write(buf, 0, n);
                    }
                    text.complete(out.toString(StandardCharsets.UTF_8));
                } catch (SyscallException e) {
                    text.completeExceptionally(e);
                } finally {
                    linux.close(readFd);
                }
            });
            return text;
        }

        void closeWriteEnd() {
            if (!writeClosed) {
                writeClosed = true;
                linux.close(writeFd);
            }
        }
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void create_stateIsCreatedWithThePid() throws Exception {
        String id = newId();
        Path bundle = bundle(id, "sleep", "100");
        Started init = create(id, bundle, CreateRequest.of(ProcessStdio.none()));
        RuntimeState state = engine.state(id);
        assertEquals(id, state.id());
        assertEquals(RuntimeState.Status.CREATED, state.status());
        assertEquals(init.pid(), state.pid());
        assertEquals(bundle.toAbsolutePath().toString(), state.bundle());
        assertFalse(init.exit().isDone());
    }

    @Test
    void start_stdoutReachesTheCallerAndTheExitStatusTheReaper() throws Exception {
        String id = newId();
        Pipe stdout = new Pipe();
        Started init;
        try {
            init = create(id, bundle(id, "sh", "-c", "read x < /proc/self/stat; echo hello from $0; exit 3"),
                    CreateRequest.of(stdout.asStdout()));
        } finally {
            stdout.closeWriteEnd();
        }
        CompletableFuture<String> output = stdout.drain();
        engine.start(id);
        assertEquals(3, init.status());
        assertEquals("hello from sh\n", get(output));
        assertEquals(RuntimeState.Status.STOPPED, engine.state(id).status());
        engine.delete(id, false);
        assertKind(EngineException.Kind.NOT_FOUND, () -> engine.state(id));
    }

    @Test
    void create_stdioFromFiles() throws Exception {
        String id = newId();
        Path input = Files.writeString(tmp.resolve("stdin.txt"), "line from a file\n");
        Path output = tmp.resolve("stdout.txt");
        Started init = create(id, bundle(id, "sh", "-c", "cat; echo to stderr >&2"), CreateRequest.of(
                new ProcessStdio(new ProcessStdio.Stream.File(input), new ProcessStdio.Stream.File(output),
                        new ProcessStdio.Stream.File(output))));
        engine.start(id);
        assertEquals(0, init.status());
        assertEquals("line from a file\nto stderr\n", Files.readString(output));
    }

    @Test
    void kill_exitStatusIs128PlusTheSignal() throws Exception {
        String id = newId();
        Started init = create(id, bundle(id, "sleep", "100"), CreateRequest.of(ProcessStdio.none()));
        engine.start(id);
        assertEquals(RuntimeState.Status.RUNNING, engine.state(id).status());
        engine.kill(id, SIGKILL, false);
        assertEquals(128 + SIGKILL, init.status());
        assertEquals(RuntimeState.Status.STOPPED, engine.state(id).status());
    }

    @Test
    void exec_ownStdoutAndExitStatus() throws Exception {
        String id = newId();
        Started init = create(id, bundle(id, "sleep", "100"), CreateRequest.of(ProcessStdio.none()));
        engine.start(id);
        Pipe stdout = new Pipe();
        Started process;
        try {
            process = exec(id, BusyboxBundle.process("sh", "-c", "echo exec says hi; exit 4"),
                    ExecRequest.of(stdout.asStdout()));
        } finally {
            stdout.closeWriteEnd();
        }
        CompletableFuture<String> output = stdout.drain();
        assertEquals(4, process.status());
        assertEquals("exec says hi\n", get(output));
        assertFalse(init.exit().isDone(), "the init runs on");
    }

    @Test
    void pauseResume_statusFollows() throws Exception {
        String id = newId();
        create(id, bundle(id, "sleep", "100"), CreateRequest.of(ProcessStdio.none()));
        engine.start(id);
        engine.pause(id);
        assertEquals(RuntimeState.Status.PAUSED, engine.state(id).status());
        engine.resume(id);
        assertEquals(RuntimeState.Status.RUNNING, engine.state(id).status());
        assertKind(EngineException.Kind.FAILED_PRECONDITION, () -> engine.resume(id));
    }

    @Test
    void ps_listsTheInit() throws Exception {
        String id = newId();
        Started init = create(id, bundle(id, "sleep", "100"), CreateRequest.of(ProcessStdio.none()));
        engine.start(id);
        assertEquals(List.of(init.pid()), engine.ps(id));
    }

    @Test
    void updateAndStats_pidsLimit() throws Exception {
        String id = newId();
        create(id, bundle(id, "sleep", "100"), CreateRequest.of(ProcessStdio.none()));
        engine.start(id);
        engine.update(id, "{\"pids\":{\"limit\":77}}");
        String stats = engine.stats(id).json();
        assertTrue(stats.contains("\"pids\":{\"current\":1,\"limit\":77}"), stats);
    }

    @Test
    void delete_createdContainerIsGoneAndItsInitKilled() throws Exception {
        String id = newId();
        Started init = create(id, bundle(id, "sleep", "100"), CreateRequest.of(ProcessStdio.none()));
        engine.delete(id, false);
        assertEquals(128 + SIGKILL, init.status());
        assertKind(EngineException.Kind.NOT_FOUND, () -> engine.state(id));
    }

    @Test
    void delete_runningNeedsForce() throws Exception {
        String id = newId();
        Started init = create(id, bundle(id, "sleep", "100"), CreateRequest.of(ProcessStdio.none()));
        engine.start(id);
        assertKind(EngineException.Kind.FAILED_PRECONDITION, () -> engine.delete(id, false));
        engine.delete(id, true);
        assertEquals(128 + SIGKILL, init.status());
    }

    @Test
    void errors_unknownIdIsNotFound() {
        String id = "shimtest-nonexistent";
        for (Runnable verb : List.<Runnable>of(() -> engine.state(id), () -> engine.start(id),
                () -> engine.kill(id, SIGKILL, false), () -> engine.delete(id, false), () -> engine.ps(id))) {
            EngineException e = assertKind(EngineException.Kind.NOT_FOUND, verb::run);
            assertTrue(e.getMessage().contains(id), e.getMessage());
        }
    }

    @Test
    void errors_secondCreateOfAnIdAlreadyExists() throws Exception {
        String id = newId();
        Path bundle = bundle(id, "sleep", "100");
        create(id, bundle, CreateRequest.of(ProcessStdio.none()));
        EngineException e = assertKind(EngineException.Kind.ALREADY_EXISTS,
                () -> engine.create(id, bundle, CreateRequest.of(ProcessStdio.none())));
        assertTrue(e.getMessage().startsWith("create " + id + ": "), e.getMessage());
        assertEquals(RuntimeState.Status.CREATED, engine.state(id).status());
    }

    @Test
    void errors_startTwiceIsFailedPrecondition() throws Exception {
        String id = newId();
        create(id, bundle(id, "sleep", "100"), CreateRequest.of(ProcessStdio.none()));
        engine.start(id);
        EngineException e = assertKind(EngineException.Kind.FAILED_PRECONDITION, () -> engine.start(id));
        assertTrue(e.getMessage().startsWith("start " + id + ": "), e.getMessage());
    }

    @Test
    void errors_missingBundleIsNamed() {
        String id = newId();
        Path missing = tmp.resolve("no-such-bundle");
        EngineException e = assertThrows(EngineException.class,
                () -> engine.create(id, missing, CreateRequest.of(ProcessStdio.none())));
        assertEquals(EngineException.Kind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertKind(EngineException.Kind.NOT_FOUND, () -> engine.state(id));
    }

    private static EngineException assertKind(EngineException.Kind kind, Runnable call) {
        EngineException e = assertThrows(EngineException.class, call::run);
        if (e.kind() != kind) {
            fail("expected " + kind + ", got " + e.kind() + ": " + e.getMessage());
        }
        return e;
    }
}
