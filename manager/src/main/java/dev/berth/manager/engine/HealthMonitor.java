package dev.berth.manager.engine;

import dev.berth.log.Log;
import dev.berth.model.Health;
import dev.berth.model.HealthConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * docker's health check of one running container: every {@code Interval} (30 s) a probe runs as an exec
 * ({@code CMD} args, or {@code CMD-SHELL} through {@code /bin/sh -c}); it fails on a non-zero exit or after
 * {@code Timeout} (30 s). {@code Retries} (3) consecutive failures make the container unhealthy, a success makes
 * it healthy; failures within {@code StartPeriod} do not count. The last five probes are kept.
 */
final class HealthMonitor implements AutoCloseable {
    static final String STARTING = "starting";
    static final String HEALTHY = "healthy";
    static final String UNHEALTHY = "unhealthy";
    private static final Log LOG = Log.of(HealthMonitor.class);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int DEFAULT_RETRIES = 3;
    private static final int KEEP = 5;

    /** Runs one probe. */
    interface Probe {
        Execs.ProbeResult run(List<String> cmd, Duration timeout) throws IOException;
    }

    /** A probe's outcome: the new health and whether its status changed (a health_status event). */
    record Result(Health health, boolean changed) {
    }

    private final Probe probe;
    private final List<String> cmd;
    private final Duration timeout;
    private final Duration startPeriod;
    private final int retries;
    private final Instant startedAt;
    private final Clock clock;
    private final Consumer<Result> results;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile Health health;
    private volatile boolean closed;
    private ScheduledFuture<?> schedule;

    private HealthMonitor(Probe probe, List<String> cmd, HealthConfig c, Health initial, Instant startedAt,
                          Clock clock, Consumer<Result> results) {
        this.probe = probe;
        this.cmd = cmd;
        this.timeout = nanos(c.timeout(), DEFAULT_TIMEOUT);
        this.startPeriod = nanos(c.startPeriod(), Duration.ZERO);
        this.retries = c.retries() == null || c.retries() <= 0 ? DEFAULT_RETRIES : c.retries();
        this.startedAt = startedAt;
        this.clock = clock;
        this.results = results;
        this.health = initial;
    }

    /** Whether {@code c} asks for probes (not absent, not {@code NONE}). */
    static boolean enabled(HealthConfig c) {
        return c != null && c.test() != null && !c.test().isEmpty() && !c.test().getFirst().equals("NONE");
    }

    /** The probe's command: {@code CMD} args, or {@code CMD-SHELL} through {@code /bin/sh -c}. */
    static List<String> command(HealthConfig c) {
        List<String> t = c.test();
        return switch (t.getFirst()) {
            case "CMD" -> t.subList(1, t.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", t.subList(1, t.size())));
            default -> List.of("/bin/sh", "-c", String.join(" ", t));
        };
    }

    static HealthMonitor start(ScheduledExecutorService scheduler, Probe probe, HealthConfig c, Health initial,
                               Instant startedAt, Clock clock, Consumer<Result> results) {
        HealthMonitor m = new HealthMonitor(probe, command(c), c, initial, startedAt, clock, results);
        long interval = nanos(c.interval(), DEFAULT_INTERVAL).toMillis();
        m.schedule = scheduler.scheduleWithFixedDelay(m::trigger, interval, interval, TimeUnit.MILLISECONDS);
        return m;
    }

    private static Duration nanos(Long n, Duration dflt) {
        return n == null || n <= 0 ? dflt : Duration.ofNanos(n);
    }

    /** Starts a probe unless one still runs (a probe blocks; the scheduler's thread must not). */
    private void trigger() {
        if (closed || !probing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("health-probe").start(() -> {
            try {
                probeOnce();
            } finally {
                probing.set(false);
            }
        });
    }

    private void probeOnce() {
        Instant start = clock.instant();
        Execs.ProbeResult r;
        try {
            r = probe.run(cmd, timeout);
        } catch (IOException | RuntimeException e) {
            r = new Execs.ProbeResult(-1, String.valueOf(e.getMessage()));
        }
        if (closed) {
            return;
        }
        Instant end = clock.instant();
        Health before = health;
        List<Health.Probe> log = new ArrayList<>(before.log());
        log.add(new Health.Probe(start.toString(), end.toString(), r.exitCode(), r.output()));
        while (log.size() > KEEP) {
            log.removeFirst();
        }
        String status = before.status();
        int streak = before.failingStreak();
        if (r.exitCode() == 0) {
            status = HEALTHY;
            streak = 0;
        } else if (!(status.equals(STARTING) && start.isBefore(startedAt.plus(startPeriod)))) {
            streak++;
            if (streak >= retries) {
                status = UNHEALTHY;
            }
        }
        health = new Health(status, streak, log);
        LOG.debug("health probe", "exit_code", r.exitCode(), "status", status);
        results.accept(new Result(health, !status.equals(before.status())));
    }

    @Override
    public void close() {
        closed = true;
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
