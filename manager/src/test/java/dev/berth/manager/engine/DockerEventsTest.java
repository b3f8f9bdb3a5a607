package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.EventMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerEventsTest {

    private static EventMessage start(Map<String, String> attributes) {
        return new EventMessage("start", "c1", "busybox", "container", "start",
                new EventMessage.Actor("c1", attributes), "local", 1L, 1L);
    }

    /** compose follows its project's events with the project label and oneoff=False: both must be there. */
    @Test
    void matches_everyLabelAskedFor() {
        Map<String, List<String>> project = Map.of("label", List.of("project=p", "oneoff=False"));
        assertTrue(DockerEvents.matches(start(Map.of("project", "p", "oneoff", "False", "name", "web")), project));
        assertFalse(DockerEvents.matches(start(Map.of("project", "p", "oneoff", "True")), project));
        assertFalse(DockerEvents.matches(start(Map.of("project", "q", "oneoff", "False")), project));
    }

    @Test
    void matches_anyOfTheValuesOfOtherFilters() {
        Map<String, List<String>> events = Map.of("event", List.of("die", "start"), "type", List.of("container"));
        assertTrue(DockerEvents.matches(start(Map.of()), events));
        assertFalse(DockerEvents.matches(start(Map.of()), Map.of("event", List.of("die", "stop"))));
    }
}
