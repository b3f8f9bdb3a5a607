package dev.berth.shim.engine;

import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a runc-compatible CLI reports a failure: the last {@code "level":"error"} line of its json log (what
 * containerd's shim reads back), whose phrases callers match on to tell the kind of error.
 */
final class RuntimeErrors {
    private static final List<String> FAILED_PRECONDITION = List.of("not running", "not stopped", "not paused",
            "cannot start", "cannot exec", "cannot delete", "cannot pause", "cannot resume", "has stopped");

    private RuntimeErrors() {}

    /** The kind that a runtime's message means; INTERNAL when no known phrase occurs in it. */
    static EngineException.Kind kindOf(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("does not exist")) {
            return EngineException.Kind.NOT_FOUND;
        }
        if (m.contains("already exists")) {
            return EngineException.Kind.ALREADY_EXISTS;
        }
        if (FAILED_PRECONDITION.stream().anyMatch(m::contains)) {
            return EngineException.Kind.FAILED_PRECONDITION;
        }
        if (m.contains("invalid container id") || m.contains("container id cannot be empty")) {
            return EngineException.Kind.INVALID_ARGUMENT;
        }
        return EngineException.Kind.INTERNAL;
    }

    /** The size of the log now: a call's own lines are those after it. */
    static long mark(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0; // not written yet
        }
    }

    /** The message of the last error line written to the json log after {@code from}; other lines are skipped. */
    static Optional<String> lastError(Path log, long from) {
        String text;
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(from, Files.size(log)));
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        String found = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                Map<String, Object> entry = Json.parseObject(line);
                if ("error".equals(entry.get("level")) && entry.get("msg") instanceof String msg) {
                    found = msg;
                }
            } catch (JsonException e) {
                // a partial or foreign line
            }
        }
        return Optional.ofNullable(found);
    }
}
