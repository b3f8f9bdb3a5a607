package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import dev.berth.model.DockerJson;
import dev.berth.model.LogConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * docker's {@code json-file} log driver: one JSON object per line in {@code <id>-json.log}; with {@code max-size},
 * the file is rotated once it reached the size ({@code <id>-json.log.1} the newest of {@code max-file - 1} older
 * files; with one file, it is truncated), as docker's {@code loggerutils.LogFile} does.
 */
final class JsonFileLog implements LogSink {
    static final String DRIVER = "json-file";
    static final String NONE = "none";

    private final Path file;
    private final long maxSize;
    private final int maxFiles;
    private OutputStream out;
    private long size;

    JsonFileLog(Path file, long maxSize, int maxFiles) throws IOException {
        this.file = file;
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        Files.createDirectories(file.getParent());
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.size = Files.size(file);
    }

    /** The log of {@code config} at {@code file}: json-file (the default) or none; others INVALID_ARGUMENT. */
    static LogSink open(LogConfig config, Path file) throws IOException {
        Options o = Options.of(config);
        return o.none() ? LogSink.NONE : new JsonFileLog(file, o.maxSize(), o.maxFiles());
    }

    /** The options of a log config, checked at create. */
    record Options(boolean none, long maxSize, int maxFiles) {
        static Options of(LogConfig config) {
            String type = config == null || config.type() == null || config.type().isEmpty() ? DRIVER
                    : config.type();
            if (type.equals(NONE)) {
                return new Options(true, -1, 1);
            }
            if (!type.equals(DRIVER)) {
                throw BerthException.invalidArgument("logger: no log driver named '" + type + "' is registered");
            }
            Map<String, String> opts = config == null || config.config() == null ? Map.of() : config.config();
            for (String key : opts.keySet()) {
                if (!key.equals("max-size") && !key.equals("max-file") && !key.equals("compress")
                        && !key.equals("labels") && !key.equals("env") && !key.equals("tag")) {
                    throw BerthException.invalidArgument("unknown log opt '" + key + "' for json-file log driver");
                }
            }
            long maxSize = opts.containsKey("max-size") ? size(opts.get("max-size")) : -1;
            int maxFiles = 1;
            if (opts.containsKey("max-file")) {
                try {
                    maxFiles = Integer.parseInt(opts.get("max-file"));
                } catch (NumberFormatException e) {
                    throw BerthException.invalidArgument("invalid max-file: " + opts.get("max-file"));
                }
                if (maxFiles < 1) {
                    throw BerthException.invalidArgument("max-file cannot be less than 1");
                }
                if (maxFiles > 1 && maxSize <= 0) {
                    throw BerthException.invalidArgument("max-file can't be set if max-size is not set");
                }
            }
            return new Options(false, maxSize, maxFiles);
        }

        /** docker's RAMInBytes: a number with an optional b, k, m, g suffix, powers of 1024. */
        private static long size(String s) {
            String v = s.strip().toLowerCase(Locale.ROOT);
            if (v.endsWith("b")) {
                v = v.substring(0, v.length() - 1);
            }
            long unit = 1;
            if (!v.isEmpty() && "kmg".indexOf(v.charAt(v.length() - 1)) >= 0) {
                unit = 1L << (10 * ("kmg".indexOf(v.charAt(v.length() - 1)) + 1));
                v = v.substring(0, v.length() - 1);
            }
            try {
                long n = (long) (Double.parseDouble(v) * unit);
                if (n <= 0) {
                    throw BerthException.invalidArgument("invalid max-size: " + s);
                }
                return n;
            } catch (NumberFormatException e) {
                throw BerthException.invalidArgument("invalid max-size: " + s);
            }
        }
    }

    @Override
    public synchronized void write(OutputStreamKind stream, byte[] line, Instant time) throws IOException {
        if (maxSize > 0 && size >= maxSize) {
            rotate();
        }
        byte[] entry = DockerJson.write(new LogEntry(new String(line, StandardCharsets.UTF_8), stream.word(),
                time.toString()));
        out.write(entry);
        out.write('\n');
        out.flush();
        size += entry.length + 1;
    }

    private void rotate() throws IOException {
        out.close();
        if (maxFiles < 2) {
            out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } else {
            for (int i = maxFiles - 1; i > 1; i--) {
                Path older = rotated(file, i - 1);
                if (Files.exists(older)) {
                    Files.move(older, rotated(file, i), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(file, 1), StandardCopyOption.REPLACE_EXISTING);
            out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        size = 0;
    }

    static Path rotated(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
