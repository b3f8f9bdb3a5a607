package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.model.ContainerConfig;
import dev.berth.model.ContainerSummary;
import dev.berth.model.HostConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerViewsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

    private static EngineContainer container(String name, Map<String, String> labels) {
        return new EngineContainer(name + "0".repeat(64 - name.length()), name, "2026-01-01T00:00:00Z", "true",
                List.of(), new ContainerConfig.Builder().image("busybox").labels(labels).build(), HostConfig.EMPTY,
                "sha256:" + "a".repeat(64), "busybox", "overlayfs", List.of(), EngineContainer.RunState.created(), 0,
                false, false);
    }

    private static List<String> names(List<ContainerSummary> list) {
        return list.stream().map(s -> s.names().getFirst()).toList();
    }

    /** compose asks for a project's service with three labels at once: docker matches only containers with all. */
    @Test
    void list_labelFilters_mustAllMatch() {
        List<EngineContainer> every = List.of(
                container("web", Map.of("project", "p", "service", "web", "oneoff", "False")),
                container("client", Map.of("project", "p", "service", "client", "oneoff", "False")),
                container("run", Map.of("project", "p", "service", "client", "oneoff", "True")));
        assertEquals(List.of("/client"), names(ContainerViews.list(every, true,
                Map.of("label", List.of("project=p", "service=client", "oneoff=False")), 0, NOW)));
        assertEquals(List.of("/run"), names(ContainerViews.list(every, true,
                Map.of("label", List.of("project=p", "oneoff=True")), 0, NOW)));
        assertEquals(3, ContainerViews.list(every, true, Map.of("label", List.of("project")), 0, NOW).size());
        assertEquals(List.of(), ContainerViews.list(every, true,
                Map.of("label", List.of("project=p", "service=db")), 0, NOW));
    }

    @Test
    void list_valuesOfOtherFilters_areAlternatives() {
        List<EngineContainer> every = List.of(container("web", Map.of()), container("db", Map.of()));
        assertEquals(2, ContainerViews.list(every, true, Map.of("name", List.of("web", "db")), 0, NOW).size());
    }
}
