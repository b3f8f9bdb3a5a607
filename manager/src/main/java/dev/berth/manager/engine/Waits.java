package dev.berth.manager.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending {@code wait}s on containers by docker's conditions: {@code next-exit} ends at the next exit,
 * {@code not-running} at an exit that is not followed by a restart, {@code removed} at the removal.
 */
final class Waits {
    enum Condition {
        NOT_RUNNING, NEXT_EXIT, REMOVED;

        static Condition parse(String s) {
            return switch (s == null ? "" : s) {
                case "", "not-running" -> NOT_RUNNING;
                case "next-exit" -> NEXT_EXIT;
                case "removed" -> REMOVED;
                default -> throw dev.berth.api.errdefs.BerthException.invalidArgument(
                        "invalid condition: \"" + s + "\"");
            };
        }
    }

    private record Pending(Condition condition, CompletableFuture<Integer> result) {
    }

    private final Map<String, List<Pending>> pending = new ConcurrentHashMap<>();

    CompletableFuture<Integer> add(String key, Condition condition) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        pending.computeIfAbsent(key, k -> new ArrayList<>());
        synchronized (pending.get(key)) {
            pending.get(key).add(new Pending(condition, f));
        }
        return f;
    }

    /** An exit: {@code restarting} when the engine will start the container again. */
    void exited(String key, int exitCode, boolean restarting) {
        complete(key, exitCode, p -> p == Condition.NEXT_EXIT || (p == Condition.NOT_RUNNING && !restarting));
    }

    void removed(String key, int exitCode) {
        complete(key, exitCode, p -> true);
        pending.remove(key);
    }

    private void complete(String key, int exitCode, java.util.function.Predicate<Condition> which) {
        List<Pending> list = pending.get(key);
        if (list == null) {
            return;
        }
        List<Pending> done = new ArrayList<>();
        synchronized (list) {
            for (Pending p : list) {
                if (which.test(p.condition)) {
                    done.add(p);
                }
            }
            list.removeAll(done);
        }
        done.forEach(p -> p.result.complete(exitCode));
    }
}
