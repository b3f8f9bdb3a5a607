package dev.berth.manager.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FilterTest {
    private static Fields object(Map<String, String> values) {
        return path -> Optional.ofNullable(values.get(String.join(".", path)));
    }

    private static final Fields EXIT = object(Map.of("topic", "/tasks/exit", "namespace", "default",
            "event.container_id", "web", "labels.a b", "x"));
    private static final Fields START = object(Map.of("topic", "/tasks/start", "namespace", "other"));

    @Test
    void parse_quotedTopicEquality_selectsThatTopicOnly() {
        Filter f = Filter.parse("topic==\"/tasks/exit\"");
        assertTrue(f.matches(EXIT));
        assertFalse(f.matches(START));
    }

    @Test
    void parse_bareValue_isAValue() {
        assertTrue(Filter.parse("namespace==default").matches(EXIT));
        assertFalse(Filter.parse("namespace==default").matches(START));
    }

    @Test
    void parse_commaIsConjunction() {
        assertTrue(Filter.parse("namespace==default,topic==\"/tasks/exit\"").matches(EXIT));
        assertFalse(Filter.parse("namespace==default,topic==\"/tasks/start\"").matches(EXIT));
        assertTrue(Filter.parse(" namespace == default , event.container_id==web ").matches(EXIT));
    }

    @Test
    void parseAll_listIsDisjunction_andEmptyMatchesAll() {
        Filter f = Filter.parseAll(List.of("topic==\"/tasks/start\"", "event.container_id==web"));
        assertTrue(f.matches(EXIT));
        assertTrue(f.matches(START));
        assertFalse(Filter.parseAll(List.of("topic==\"/tasks/oom\"", "namespace==x")).matches(START));
        assertTrue(Filter.parseAll(List.of()).matches(START));
        assertTrue(Filter.parse("").matches(START));
    }

    @Test
    void notEqual_absentFieldCountsAsEmpty() {
        assertTrue(Filter.parse("namespace!=other").matches(EXIT));
        assertFalse(Filter.parse("namespace!=other").matches(START));
        assertTrue(Filter.parse("event.container_id!=web").matches(START));
    }

    @Test
    void matches_regularExpressionIsUnanchored_inQuotesOrBars() {
        assertTrue(Filter.parse("topic~=\"/tasks/.*\"").matches(EXIT));
        assertTrue(Filter.parse("topic~=|^/tasks/e|").matches(EXIT));
        assertFalse(Filter.parse("topic~=|^/tasks/e|").matches(START));
        assertTrue(Filter.parse("topic~=exi").matches(EXIT));
        assertTrue(Filter.parse("namespace~=\"^def\\\\w+$\"").matches(EXIT));
    }

    @Test
    void presence_andContains_andQuotedFieldPath() {
        assertTrue(Filter.parse("event.container_id").matches(EXIT));
        assertFalse(Filter.parse("event.container_id").matches(START));
        assertTrue(Filter.parse("topic@=exit").matches(EXIT));
        assertTrue(Filter.parse("labels.\"a b\"==x").matches(EXIT));
    }

    @Test
    void quoted_goEscapes() {
        Fields f = object(Map.of("a", "x\"y\tz/é"));
        assertTrue(Filter.parse("a==\"x\\\"y\\tz/\\u00e9\"").matches(f));
        assertTrue(Filter.parse("a==|x\"y\\tz/\\xe9|").matches(f));
    }

    @Test
    void parse_errorsAreInvalidArgumentNamingTheFilter() {
        for (String bad : List.of("topic==/tasks/exit", "topic==", "==x", "topic=x", "topic===x", "topic<>x",
                "topic==\"open", "a==\"\\q\"", "topic~=\"(\"", "a==b,", "a b", ",a")) {
            BerthException e = assertThrows(BerthException.class, () -> Filter.parse(bad), bad);
            assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), bad);
            assertTrue(e.getMessage().startsWith("parse filter " + bad), e.getMessage());
        }
    }
}
