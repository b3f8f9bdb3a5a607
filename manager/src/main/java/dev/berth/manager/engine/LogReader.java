package dev.berth.manager.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.model.DockerJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads docker's {@code json-file} logs for {@code logs} and attach's replay: the rotated files oldest first, then
 * the current one; {@code tail}, {@code since}/{@code until} and the streams select lines; with {@code follow},
 * new lines as they are written (across rotations) until the container stops or the reader is cancelled.
 */
final class LogReader {
    private static final long POLL_MILLIS = 50;

    private final Path file;
    private final int maxFiles;

    LogReader(Path file, int maxFiles) {
        this.file = file;
        this.maxFiles = maxFiles;
    }

    /**
     * Sends the selected lines to {@code sink}; with follow, keeps going while {@code running} says the container
     * may still write and {@code cancelled} is false.
     */
    void read(LogQuery q, LogLines sink, BooleanSupplier running, BooleanSupplier cancelled) throws IOException,
            InterruptedException {
        List<Path> older = new ArrayList<>();
        for (int i = Math.max(maxFiles, 1) - 1; i >= 1; i--) {
            Path r = JsonFileLog.rotated(file, i);
            if (Files.exists(r)) {
                older.add(r);
            }
        }
        Deque<LogEntry> tail = new ArrayDeque<>();
        List<LogEntry> all = new ArrayList<>();
        for (Path p : older) {
            readWhole(p, e -> keep(q, e, tail, all));
        }
        long position = 0;
        Object key = null;
        if (Files.exists(file)) {
            key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            position = readFrom(file, 0, e -> keep(q, e, tail, all));
        }
        for (LogEntry e : q.tail() >= 0 ? tail : all) {
            send(q, e, sink);
        }
        if (!q.follow()) {
            return;
        }
        while (!cancelled.getAsBoolean()) {
            boolean wasRunning = running.getAsBoolean();
            if (Files.exists(file)) {
                Object now = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
                if (!now.equals(key) || Files.size(file) < position) {
                    key = now;
                    position = 0; // rotated or truncated: the new file from its start
                }
                long next = readFrom(file, position, e -> {
                    if (selected(q, e)) {
                        send(q, e, sink);
                    }
                });
                if (next != position) {
                    position = next;
                    continue;
                }
            }
            if (!wasRunning || (q.until() != null && Instant.now().isAfter(q.until()))) {
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private interface EntryConsumer {
        void accept(LogEntry e) throws IOException;
    }

    private static void keep(LogQuery q, LogEntry e, Deque<LogEntry> tail, List<LogEntry> all) {
        if (!selected(q, e)) {
            return;
        }
        if (q.tail() >= 0) {
            tail.addLast(e);
            if (tail.size() > q.tail()) {
                tail.removeFirst();
            }
        } else {
            all.add(e);
        }
    }

    private static boolean selected(LogQuery q, LogEntry e) {
        boolean isOut = "stdout".equals(e.stream());
        if (isOut ? !q.stdout() : !q.stderr()) {
            return false;
        }
        Instant t = Instant.parse(e.time());
        return (q.since() == null || !t.isBefore(q.since())) && (q.until() == null || !t.isAfter(q.until()));
    }

    private static void send(LogQuery q, LogEntry e, LogLines sink) throws IOException {
        sink.entry("stdout".equals(e.stream()) ? OutputStreamKind.STDOUT : OutputStreamKind.STDERR,
                e.log().getBytes(StandardCharsets.UTF_8), Instant.parse(e.time()));
    }

    private static void readWhole(Path p, EntryConsumer c) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                parse(line, c);
            }
        }
    }

    /** Reads the complete lines from {@code position}; returns the position after the last complete line. */
    private static long readFrom(Path p, long position, EntryConsumer c) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            long length = f.length();
            if (length <= position) {
                return position;
            }
            byte[] buf = new byte[(int) Math.min(length - position, 16 << 20)];
            f.seek(position);
            f.readFully(buf);
            int start = 0;
            for (int i = 0; i < buf.length; i++) {
                if (buf[i] == '\n') {
                    parse(new String(buf, start, i - start, StandardCharsets.UTF_8), c);
                    start = i + 1;
                }
            }
            return position + start;
        }
    }

    private static void parse(String line, EntryConsumer c) throws IOException {
        if (line.isBlank()) {
            return;
        }
        LogEntry e;
        try {
            e = DockerJson.mapper().readValue(line, LogEntry.class);
        } catch (JsonProcessingException ex) {
            return; // a line cut by a crash mid-write, as docker skips it
        }
        c.accept(e);
    }
}
