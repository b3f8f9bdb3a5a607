package dev.berth.shim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc's phrases and json log lines, as recorded from runc 1.1 and berth-runtime. */
class RuntimeErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void kindOf_runcPhrases() {
        assertEquals(EngineException.Kind.NOT_FOUND, RuntimeErrors.kindOf("container does not exist"));
        assertEquals(EngineException.Kind.ALREADY_EXISTS,
                RuntimeErrors.kindOf("runc create failed: container with given ID already exists"));
        assertEquals(EngineException.Kind.FAILED_PRECONDITION,
                RuntimeErrors.kindOf("cannot start an already running container"));
        assertEquals(EngineException.Kind.FAILED_PRECONDITION, RuntimeErrors.kindOf("container not paused"));
        assertEquals(EngineException.Kind.FAILED_PRECONDITION,
                RuntimeErrors.kindOf("cannot delete container c1 that is not stopped: running"));
        assertEquals(EngineException.Kind.INVALID_ARGUMENT, RuntimeErrors.kindOf("invalid container ID format"));
        assertEquals(EngineException.Kind.INTERNAL, RuntimeErrors.kindOf("mount proc: permission denied"));
    }

    @Test
    void lastError_onlyLinesAfterTheMark() throws Exception {
        Path log = tmp.resolve("log.json");
        Files.writeString(log, "{\"level\":\"error\",\"msg\":\"an earlier call\",\"time\":\"t\"}\n");
        long mark = RuntimeErrors.mark(log);
        Files.writeString(log, """
                {"level":"warning","msg":"a warning","time":"t"}
                {"level":"error","msg":"first","time":"t"}
                not json
                {"level":"error","msg":"container does not exist","time":"t"}
                {"level":"info","msg":"after","time":"t"}
                """, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Optional.of("container does not exist"), RuntimeErrors.lastError(log, mark));
        assertEquals(Optional.empty(), RuntimeErrors.lastError(log, Files.size(log)));
    }

    @Test
    void lastError_noLog() {
        Path log = tmp.resolve("missing.json");
        assertEquals(0, RuntimeErrors.mark(log));
        assertEquals(Optional.empty(), RuntimeErrors.lastError(log, 0));
    }

    @Test
    void message_notRepeatedWhenTheRuntimeNamesTheOperation() {
        assertEquals("state c1: container does not exist",
                EngineException.message("state", "c1", "state c1: container does not exist"));
        assertEquals("state c1: container does not exist",
                EngineException.message("state", "c1", "container does not exist"));
    }
}
