package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTest;
import dev.berth.testsupport.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The output of {@code state}, {@code list} and {@code ps}, which containerd's go-runc parses. */
class OutputFormatsTest extends ContainerTest {

    @Test
    void state_hasTheSpecAndRuncFields() {
        Bundle b = newBundle().args("sleep", "30");
        String id = newId();
        runtime.createAndStart(id, b);
        Map<String, Object> s = runtime.state(id);
        // runtime-spec "State": ociVersion, id, status, pid, bundle; runc adds rootfs and created (and an owner,
        // which it fills in only for list).
        assertEquals(id, s.get("id"));
        assertEquals("running", s.get("status"));
        assertTrue(s.get("pid") instanceof Long pid && pid > 0, s.toString());
        assertEquals(b.dir().toString(), s.get("bundle"));
        assertEquals(b.rootfs().toString(), s.get("rootfs"));
        assertTrue(s.get("ociVersion") instanceof String, s.toString());
        Instant created = Instant.parse((String) s.get("created"));
        assertTrue(created.isAfter(Instant.now().minusSeconds(120)) && !created.isAfter(Instant.now()), s.toString());
    }

    @Test
    void listJson_showsEveryContainerWithStatus() {
        String a = newId();
        String c = newId();
        runtime.createAndStart(a, newBundle().args("sleep", "30"));
        runtime.create(c, newBundle().args("sleep", "30")).assertSuccess();
        List<Object> list = Json.parseArray(runtime.call("list", "--format", "json").assertSuccess().stdout());
        assertEquals(2, list.size(), list.toString());
        Map<?, ?> ra = find(list, a);
        Map<?, ?> rc = find(list, c);
        assertEquals("running", ra.get("status"));
        assertEquals("created", rc.get("status"));
        assertEquals(runtime.state(a).get("pid"), ra.get("pid"));
    }

    @Test
    void listJson_empty_isEmptyArrayOrNull() {
        // runc prints "null" when there is no container (a nil Go slice); an empty array means the same.
        String out = runtime.call("list", "--format", "json").assertSuccess().stdout().strip();
        assertTrue(out.equals("null") || out.equals("[]"), out);
    }

    @Test
    void listTable_hasHeaderAndRow() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        List<String> lines = runtime.call("list").assertSuccess().stdout().lines().toList();
        assertTrue(lines.getFirst().matches("ID\\s+PID\\s+STATUS\\s+BUNDLE\\s+CREATED\\s+OWNER\\s*"), lines.toString());
        assertTrue(lines.get(1).matches(id + "\\s+\\d+\\s+running\\s+/\\S+\\s+\\S+\\s+root\\s*"), lines.toString());
        List<String> quiet = runtime.call("list", "--quiet").assertSuccess().stdout().lines().toList();
        assertEquals(List.of(id), quiet);
    }

    @Test
    void psJson_listsHostPidsOfContainerProcesses() {
        String id = newId();
        runtime.createAndStart(id, newBundle().sh("sleep 30 & sleep 30"));
        dev.berth.it.support.Wait.until("two processes", java.time.Duration.ofSeconds(10),
                () -> Json.parseArray(runtime.call("ps", "--format", "json", id).stdout()).size() == 2);
        List<Object> pids = Json.parseArray(runtime.call("ps", "--format", "json", id).assertSuccess().stdout());
        assertTrue(pids.contains(runtime.state(id).get("pid")), "the init is listed: " + pids);
    }

    @Test
    void psTable_isPsOutputOfContainerProcesses() {
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "31"));
        // start returns once the init was told to go; the exec of sleep follows asynchronously.
        dev.berth.it.support.Wait.until("sleep runs", java.time.Duration.ofSeconds(10),
                () -> runtime.call("ps", id).stdout().contains("sleep 31"));
        List<String> lines = runtime.call("ps", id).assertSuccess().stdout().lines().toList();
        assertTrue(lines.getFirst().contains("PID") && lines.getFirst().contains("CMD"), lines.toString());
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).endsWith("sleep 31"), lines.toString());
    }

    private static Map<?, ?> find(List<Object> list, String id) {
        return list.stream().map(o -> (Map<?, ?>) o).filter(m -> id.equals(m.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + list));
    }
}
