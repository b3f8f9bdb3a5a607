package dev.berth.manager.engine;

import dev.berth.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a container's task, in memory while it runs: its streams, its log, the attached clients it feeds,
 * and {@link #finished}, completed with the exit code once the engine recorded the exit. Output is split into
 * lines for the log as docker's copier does (a line longer than 16 KiB is cut).
 */
final class ContainerRun {
    private static final Log LOG = Log.of(ContainerRun.class);
    private static final int MAX_LINE = 16 * 1024;

    final ProcessIo io;
    final LogSink log;
    final Instant startedAt;
    final CompletableFuture<Integer> finished = new CompletableFuture<>();
    private final Attachments attachments;
    private final Clock clock;
    private final ByteArrayOutputStream[] partial = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    private volatile HealthMonitor health;
    private volatile java.util.Optional<OomKills> oomKills = java.util.Optional.empty();

    ContainerRun(ProcessIo io, LogSink log, Attachments attachments, Clock clock, Instant startedAt) {
        this.io = io;
        this.log = log;
        this.attachments = attachments;
        this.clock = clock;
        this.startedAt = startedAt;
    }

    void start() {
        io.start(this::chunk);
    }

    private void chunk(OutputStreamKind stream, byte[] data) {
        attachments.publish(stream, data);
        ByteArrayOutputStream buf = partial[stream.ordinal()];
        synchronized (buf) {
            Instant now = clock.instant();
            int start = 0;
            for (int i = 0; i < data.length; i++) {
                if (data[i] == '\n') {
                    buf.write(data, start, i + 1 - start);
                    flush(stream, buf, now);
                    start = i + 1;
                }
            }
            buf.write(data, start, data.length - start);
            if (buf.size() >= MAX_LINE) {
                flush(stream, buf, now);
            }
        }
    }

    private void flush(OutputStreamKind stream, ByteArrayOutputStream buf, Instant now) {
        if (buf.size() == 0) {
            return;
        }
        try {
            log.write(stream, buf.toByteArray(), now);
        } catch (IOException e) {
            LOG.warn("write container log", e);
        }
        buf.reset();
    }

    /** The end of the output: what is left of a last line without newline goes to the log. */
    void flushPartial() {
        for (OutputStreamKind s : OutputStreamKind.values()) {
            ByteArrayOutputStream buf = partial[s.ordinal()];
            synchronized (buf) {
                flush(s, buf, clock.instant());
            }
        }
    }

    /** The OOM kill counter of the run's memory cgroup (once its init's pid is known). */
    void oomKills(java.util.Optional<OomKills> counter) {
        oomKills = counter;
    }

    /** Whether the kernel OOM-killed a process of the run; read before the task (and its cgroup) is deleted. */
    boolean oomKilled() {
        return oomKills.map(k -> k.read().orElse(0) > 0).orElse(false);
    }

    void health(HealthMonitor h) {
        health = h;
    }

    void stopHealth() {
        HealthMonitor h = health;
        if (h != null) {
            h.close();
        }
    }

    /** Closes the log (after the output ended). */
    void closeLog() {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("close container log", e);
        }
    }
}
