package dev.berth.manager.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterTest {

    private static final Map<String, String> EVENT = Map.of("topic", "/tasks/exit", "namespace", "default",
            "labels.io.x/role", "web");

    private static Filter.Fields fields(Map<String, String> values) {
        return path -> values.get(String.join(".", path));
    }

    private static boolean matches(String... filters) {
        return Filter.parse(List.of(filters)).matches(fields(EVENT));
    }

    @Test
    void parse_emptyListMatchesEverything() {
        assertTrue(Filter.parse(List.of()).matches(fields(Map.of())));
    }

    @Test
    void matches_equalityQuotedAndBare() {
        assertTrue(matches("topic==\"/tasks/exit\""));
        assertTrue(matches("namespace==default"));
        assertTrue(matches("topic==|/tasks/exit|"));
        assertFalse(matches("topic==\"/tasks/start\""));
        assertTrue(matches("topic!=\"/tasks/start\""));
    }

    @Test
    void matches_commaIsConjunctionListIsDisjunction() {
        assertTrue(matches("topic==\"/tasks/exit\",namespace==default"));
        assertFalse(matches("topic==\"/tasks/exit\",namespace==other"));
        assertTrue(matches("namespace==other", "topic==\"/tasks/exit\""));
    }

    @Test
    void matches_regexAndPresenceAndQuotedField() {
        assertTrue(matches("topic~=/^.tasks.*/"));
        assertTrue(matches("topic~=\"^/tasks\""));
        assertFalse(matches("topic~=^/images"));
        assertTrue(matches("labels.\"io.x/role\"==web"));
        assertTrue(matches("namespace"));
        assertFalse(matches("image"));
    }

    @Test
    void parse_malformed_isInvalidArgumentNamingTheFilter() {
        BerthException e = assertThrows(BerthException.class, () -> Filter.parse(List.of("topic==\"open")));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains("topic==\"open"), e.getMessage());
        assertThrows(BerthException.class, () -> Filter.parse(List.of("==x")));
        assertThrows(BerthException.class, () -> Filter.parse(List.of("topic~=(")));
    }
}
