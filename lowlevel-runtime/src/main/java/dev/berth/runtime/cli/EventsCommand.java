package dev.berth.runtime.cli;

import dev.berth.runtime.container.Container;
import dev.berth.runtime.container.ContainerStatus;
import dev.berth.runtime.spec.Json;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code events [--stats] [--interval 5s] ID}: one stats event, or a stats event every interval and an oom event
 * whenever the kernel OOM-killed a process, until the container stops.
 */
final class EventsCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) throws InterruptedException {
        Flags.Parsed p = new Flags().bool("stats").value("interval").parse(argv, false);
        Command.requireArgs(p, "events", 1, 1);
        Container c = ctx.runtime().load("events", p.args().getFirst());
        if (c.status() == ContainerStatus.STOPPED) {
            throw new IllegalStateException("events " + c.id() + ": container not running");
        }
        if (p.has("stats")) {
            print(ctx, "stats", c.id(), c.stats().toJson());
            return 0;
        }
        // stats every interval; the OOM counter is polled far more often, so that an OOM is reported when it
        // happens (runc waits on an eventfd; a poll every 100 ms costs one small file read)
        long intervalNanos = interval(p.get("interval", "5s")).toNanos();
        long ooms = c.oomKillCount();
        long nextStats = System.nanoTime();
        while (c.status() != ContainerStatus.STOPPED) {
            long now = c.oomKillCount();
            if (now > ooms) {
                print(ctx, "oom", c.id(), null);
                ooms = now;
            }
            if (System.nanoTime() - nextStats >= 0) {
                print(ctx, "stats", c.id(), c.stats().toJson());
                nextStats = System.nanoTime() + intervalNanos;
            }
            Thread.sleep(100);
        }
        return 0;
    }

    private static void print(Context ctx, String type, String id, Object data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("id", id);
        if (data != null) {
            event.put("data", data);
        }
        ctx.out.println(Json.write(event));
        ctx.out.flush();
    }

    /** Go's duration syntax for the values people pass: {@code 5s}, {@code 500ms}, {@code 1m}. */
    static Duration interval(String s) {
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            return Duration.parse("PT" + s.toUpperCase(java.util.Locale.ROOT));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Flags.UsageException("invalid interval " + s);
        }
    }
}
