package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import dev.berth.model.HostConfig;
import dev.berth.model.RestartPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * docker's restart policies (its {@code restartmanager}): after an exit, {@code always} restarts, {@code
 * unless-stopped} unless the container was stopped by hand, {@code on-failure[:N]} after a non-zero exit while
 * fewer than N restarts happened; each restart waits a back-off that starts at 100 ms and doubles up to a minute,
 * and starts again from 100 ms when the container had been up 10 s. A manual stop cancels the policy until the
 * next start; when berthd starts, {@link #atDaemonStart} says which containers come back.
 */
final class Restarts implements AutoCloseable {
    static final Duration INITIAL = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofMinutes(1);
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler;
    private final Map<String, Duration> timeouts = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    Restarts(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Checks a policy at create: docker's names and rules; {@code --rm} with a policy is refused. */
    static void validate(HostConfig host) {
        RestartPolicy p = host.restartPolicy();
        String name = p == null || p.name() == null ? "" : p.name();
        int max = p == null || p.maximumRetryCount() == null ? 0 : p.maximumRetryCount();
        switch (name) {
            case "", "no", "always", "unless-stopped", "on-failure" -> { }
            default -> throw BerthException.invalidArgument("invalid restart policy '" + name + "'");
        }
        if (max < 0) {
            throw BerthException.invalidArgument("invalid restart policy: maximum retry count cannot be negative");
        }
        if (max > 0 && !name.equals("on-failure")) {
            throw BerthException.invalidArgument("invalid restart policy: maximum retry count can only be used "
                    + "with 'on-failure'");
        }
        if (Boolean.TRUE.equals(host.autoRemove()) && !name.isEmpty() && !name.equals("no")) {
            throw BerthException.invalidArgument("conflicting options: cannot specify both --restart and --rm");
        }
    }

    private static String name(HostConfig host) {
        RestartPolicy p = host.restartPolicy();
        return p == null || p.name() == null ? "" : p.name();
    }

    private static int max(HostConfig host) {
        RestartPolicy p = host.restartPolicy();
        return p == null || p.maximumRetryCount() == null ? 0 : p.maximumRetryCount();
    }

    /**
     * After an exit: the back-off to wait before the restart, or empty for none. {@code restartCount} is the
     * container's restarts since its last manual start.
     */
    Optional<Duration> decide(String key, HostConfig host, int exitCode, boolean manuallyStopped, int restartCount,
                              Duration ran) {
        String name = name(host);
        if (name.isEmpty() || name.equals("no") || manuallyStopped) {
            return Optional.empty();
        }
        boolean restart = switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (max(host) == 0 || restartCount < max(host));
            default -> false;
        };
        if (!restart) {
            return Optional.empty();
        }
        Duration previous = ran.compareTo(RESET_AFTER) >= 0 ? null : timeouts.get(key);
        Duration next = previous == null ? INITIAL : previous.multipliedBy(2);
        if (next.compareTo(MAX) > 0) {
            next = MAX;
        }
        timeouts.put(key, next);
        return Optional.of(next);
    }

    /** Whether a container comes back when berthd starts (docker's restore). */
    static boolean atDaemonStart(HostConfig host, boolean manuallyStopped, int exitCode, int restartCount,
                                 boolean startedBefore) {
        if (!startedBefore) {
            return false;
        }
        return switch (name(host)) {
            case "always" -> true;
            case "unless-stopped" -> !manuallyStopped;
            case "on-failure" -> !manuallyStopped && exitCode != 0 && (max(host) == 0 || restartCount < max(host));
            default -> false;
        };
    }

    void schedule(String key, Duration delay, Runnable restart) {
        pending.put(key, scheduler.schedule(() -> {
            pending.remove(key);
            restart.run();
        }, delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Cancels a scheduled restart; true if one was pending. */
    boolean cancel(String key) {
        ScheduledFuture<?> f = pending.remove(key);
        return f != null && f.cancel(false);
    }

    /** A manual start: the back-off starts over. */
    void reset(String key) {
        cancel(key);
        timeouts.remove(key);
    }

    @Override
    public void close() {
        pending.values().forEach(f -> f.cancel(false));
        pending.clear();
    }
}
