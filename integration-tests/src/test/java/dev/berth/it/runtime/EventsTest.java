package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Background;
import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTest;
import dev.berth.testsupport.Json;
import dev.berth.it.support.Wait;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code events}: one stats sample with {@code --stats}, a stream with an {@code oom} event otherwise. */
class EventsTest extends ContainerTest {

    @Test
    @SuppressWarnings("unchecked")
    void eventsStats_printsOneStatsSample() {
        Bundle b = newBundle().memoryLimit(64L * 1024 * 1024).pidsLimit(50).args("sleep", "30");
        String id = newId();
        runtime.createAndStart(id, b);
        String out = runtime.call("events", "--stats", id).assertSuccess().stdout();
        Map<String, Object> event = Json.parseObject(out);
        assertEquals("stats", event.get("type"));
        assertEquals(id, event.get("id"));
        Map<String, Object> data = (Map<String, Object>) event.get("data");
        Map<String, Object> memory = (Map<String, Object>) data.get("memory");
        Map<String, Object> usage = (Map<String, Object>) memory.get("usage");
        assertEquals(64L * 1024 * 1024, ((Number) usage.get("limit")).longValue(), out);
        assertTrue(((Number) usage.get("usage")).longValue() > 0, out);
        Map<String, Object> pids = (Map<String, Object>) data.get("pids");
        assertEquals(1L, ((Number) pids.get("current")).longValue(), "only sleep runs: " + out);
        assertEquals(50L, ((Number) pids.get("limit")).longValue(), out);
        assertTrue(data.containsKey("cpu"), out);
    }

    @Test
    void events_afterOomInContainer_reportsOomEvent() {
        Bundle b = newBundle().memoryLimit(32L * 1024 * 1024).args("sleep", "30");
        String id = newId();
        runtime.createAndStart(id, b);
        // A long interval: only the oom event is printed, not periodic stats.
        Background events = runtime.spawn("events", "--interval", "1h", id);
        // events registers for OOM notifications only once it has started; an OOM before that is not reported.
        // Rather than guess how long that takes, cause OOMs until one is reported.
        for (int attempt = 0; attempt < 5 && !events.stdout().contains("\"oom\""); attempt++) {
            assertEquals(137, runtime.execIn(id, "tail", "/dev/zero").exitCode(), "the exec'd process is OOM-killed");
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (!events.stdout().contains("\"oom\"") && System.nanoTime() < deadline) {
                Wait.sleep(Duration.ofMillis(50));
            }
        }
        assertTrue(events.stdout().contains("\"oom\""), "an oom event: " + events.stdout() + events.stderr());
        Map<String, Object> event = Json.parseObject(events.stdout().lines()
                .filter(l -> l.contains("\"oom\"")).findFirst().orElseThrow());
        assertEquals("oom", event.get("type"));
        assertEquals(id, event.get("id"));
        assertEquals("running", runtime.status(id), "the init survives its child's OOM");
    }
}
