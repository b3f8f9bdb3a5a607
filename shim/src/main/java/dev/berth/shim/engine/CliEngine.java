package dev.berth.shim.engine;

import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonException;
import dev.berth.runtime.spec.JsonObject;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link RuntimeEngine} that runs a runc-compatible binary (runc, or Berth's {@code bin/berth-runtime}) with the
 * arguments containerd's go-runc passes: {@code --root R --log L --log-format json VERB …}. A failure's message is
 * the last error line of the json log, as containerd's shim reads it, and its phrases give the kind.
 *
 * <p>The binary is started with {@code posix_spawn} and waited for through {@link Syscalls#waitpid}, never with
 * {@code ProcessBuilder}, whose per-child reaper thread would race with the shim's reaper: pass syscalls that
 * wait through it.
 */
public final class CliEngine implements RuntimeEngine {
    private final Syscalls sys;
    private final Path binary;
    private final Path root;
    private final Path log;
    private final RuntimeCommand command;

    /**
     * @param binary the runtime ({@code BinaryName}); @param root its {@code --root}; @param log its json log,
     *     {@code <bundle>/log.json} in a shim; @param environment the runtime's environment
     */
    public CliEngine(Syscalls sys, Path binary, Path root, Path log, Map<String, String> environment) {
        this.binary = binary.toAbsolutePath();
        this.root = root.toAbsolutePath();
        this.log = log.toAbsolutePath();
        this.command = new RuntimeCommand(sys, environment);
        this.sys = sys;
    }

    private List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "--log",
                log.toString(), "--log-format", "json"));
        argv.addAll(List.of(args));
        return argv;
    }

    @Override
    public int create(String id, Path bundle, CreateRequest request) {
        Path dir = bundle.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new EngineException(EngineException.Kind.INVALID_ARGUMENT,
                    "create " + id + ": bundle " + dir + ": no such directory");
        }
        List<String> args = new ArrayList<>(List.of("create", "--bundle", dir.toString()));
        if (request.consoleSocket() != null) {
            args.addAll(List.of("--console-socket", request.consoleSocket().toAbsolutePath().toString()));
        }
        if (request.noPivot()) {
            args.add("--no-pivot");
        }
        if (request.noNewKeyring()) {
            args.add("--no-new-keyring");
        }
        try (PidFile pidFile = PidFile.of(request.pidFile(), "create", id)) {
            args.addAll(List.of("--pid-file", pidFile.path().toString(), id));
            try (OpenedStdio io = OpenedStdio.open(sys, request.stdio(), "create", id)) {
                runWithStdio("create", id, io, args);
            }
            return pidFile.read();
        }
    }

    @Override
    public void start(String id) {
        captured("start", id, new byte[0], "start", id);
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        if (all) {
            captured("kill", id, new byte[0], "kill", "--all", id, Integer.toString(signal));
        } else {
            captured("kill", id, new byte[0], "kill", id, Integer.toString(signal));
        }
    }

    @Override
    public void delete(String id, boolean force) {
        if (force) {
            captured("delete", id, new byte[0], "delete", "--force", id);
        } else {
            captured("delete", id, new byte[0], "delete", id);
        }
    }

    @Override
    public RuntimeState state(String id) {
        String out = captured("state", id, new byte[0], "state", id);
        return parse("state", id, () -> RuntimeState.from(JsonObject.parse(out), "state " + id));
    }

    @Override
    public int exec(String id, String processJson, ExecRequest request) {
        Path process;
        try {
            process = Files.createTempFile("berth-process", ".json");
            Files.writeString(process, processJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "exec " + id + ": write process: " + e.getMessage(), e);
        }
        try (PidFile pidFile = PidFile.of(request.pidFile(), "exec", id)) {
            List<String> args = new ArrayList<>(List.of("exec", "--process", process.toString(), "--detach",
                    "--pid-file", pidFile.path().toString()));
            if (request.consoleSocket() != null) {
                args.addAll(List.of("--console-socket", request.consoleSocket().toAbsolutePath().toString()));
            }
            args.add(id);
            try (OpenedStdio io = OpenedStdio.open(sys, request.stdio(), "exec", id)) {
                runWithStdio("exec", id, io, args);
            }
            return pidFile.read();
        } finally {
            PidFile.deleteQuietly(process);
        }
    }

    @Override
    public void pause(String id) {
        captured("pause", id, new byte[0], "pause", id);
    }

    @Override
    public void resume(String id) {
        captured("resume", id, new byte[0], "resume", id);
    }

    @Override
    public List<Integer> ps(String id) {
        String out = captured("ps", id, new byte[0], "ps", "--format", "json", id);
        return parse("ps", id, () -> {
            if (!(Json.parse(out.strip()) instanceof List<?> pids)) {
                throw new JsonException("expected an array of pids");
            }
            return pids.stream().map(p -> ((Number) p).intValue()).toList();
        });
    }

    @Override
    public void update(String id, String resourcesJson) {
        captured("update", id, resourcesJson.getBytes(StandardCharsets.UTF_8), "update", "--resources", "-", id);
    }

    @Override
    public Stats stats(String id) {
        String out = captured("stats", id, new byte[0], "events", "--stats", id);
        return parse("stats", id, () -> new Stats(Json.write(JsonObject.parse(out.strip()).object("data").raw())));
    }

    /** Runs a verb whose output is read; a non-zero exit becomes an {@link EngineException}. */
    private String captured(String op, String id, byte[] stdin, String... args) {
        long mark = RuntimeErrors.mark(log);
        RuntimeCommand.Result result;
        try {
            result = command.capture(argv(args), stdin);
        } catch (SyscallException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, op + " " + id + ": " + e.getMessage(), e);
        }
        if (result.status() != 0) {
            throw failure(op, id, mark, result);
        }
        return result.output();
    }

    /** Runs create or exec with the process's stdio as the runtime's own: the runtime hands them on. */
    private void runWithStdio(String op, String id, OpenedStdio io, List<String> args) {
        long mark = RuntimeErrors.mark(log);
        RuntimeCommand.Result result;
        try {
            result = command.run(argv(args.toArray(String[]::new)), io.fds());
        } catch (SyscallException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, op + " " + id + ": " + e.getMessage(), e);
        }
        if (result.status() != 0) {
            throw failure(op, id, mark, result);
        }
    }

    private EngineException failure(String op, String id, long mark, RuntimeCommand.Result result) {
        String message = RuntimeErrors.lastError(log, mark)
                .or(() -> result.output().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b))
                .orElse(binary.getFileName() + " " + op + ": exit status " + result.status());
        return new EngineException(RuntimeErrors.kindOf(message), EngineException.message(op, id, message));
    }

    private interface Parse<T> {
        T get();
    }

    private <T> T parse(String op, String id, Parse<T> parse) {
        try {
            return parse.get();
        } catch (JsonException | ClassCastException e) {
            throw new EngineException(EngineException.Kind.INTERNAL,
                    op + " " + id + ": unreadable output of " + binary.getFileName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CliEngine[" + binary + ", root " + root + "]";
    }

    /** Where the runtime writes a pid: the caller's file, or a temporary one removed after reading. */
    private record PidFile(Path path, boolean temporary, String op, String id) implements AutoCloseable {
        static PidFile of(Path requested, String op, String id) {
            if (requested != null) {
                return new PidFile(requested.toAbsolutePath(), false, op, id);
            }
            try {
                Path tmp = Files.createTempFile("berth-pid", "");
                Files.delete(tmp); // runc writes it anew; an empty file would read as a pid of nothing
                return new PidFile(tmp, true, op, id);
            } catch (IOException e) {
                throw new EngineException(EngineException.Kind.INTERNAL, op + " " + id + ": pid file: " + e.getMessage(), e);
            }
        }

        int read() {
            try {
                return Integer.parseInt(Files.readString(path).strip());
            } catch (IOException | NumberFormatException e) {
                throw new EngineException(EngineException.Kind.INTERNAL,
                        op + " " + id + ": read pid file " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (temporary) {
                deleteQuietly(path);
            }
        }

        static void deleteQuietly(Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file under /tmp; nothing depends on it
            }
        }
    }
}
