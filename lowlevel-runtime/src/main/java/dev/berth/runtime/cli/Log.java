package dev.berth.runtime.cli;

import dev.berth.runtime.spec.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * runc's logging: to the {@code --log} file if given (text or json lines, which containerd's shim reads back to
 * report a failure), else to stderr; an error also goes to stderr as a plain line when a log file is in use.
 */
final class Log {
    private final Path file;
    private final boolean json;
    private final boolean debug;
    private final PrintStream stderr;

    Log(Path file, String format, boolean debug, PrintStream stderr) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new Flags.UsageException("invalid log-format: " + format);
        }
        this.file = file;
        this.json = format.equals("json");
        this.debug = debug;
        this.stderr = stderr;
    }

    void debug(String msg) {
        if (debug) {
            write("debug", msg);
        }
    }

    void warn(String msg) {
        write("warning", msg);
    }

    void error(String msg) {
        write("error", msg);
        if (file != null) {
            stderr.println(msg);
        }
    }

    private void write(String level, String msg) {
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String line;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", level);
            m.put("msg", msg);
            m.put("time", time);
            line = Json.write(m);
        } else {
            line = "time=\"" + time + "\" level=" + level + " msg=" + Json.write(msg);
        }
        if (file == null) {
            stderr.println(line);
            return;
        }
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            stderr.println(line);
        }
    }
}
