package dev.berth.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parse_allValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2.5, true, false, null], \"b\": \"x\\ny\\u0041\"} ");
        assertEquals(Map.of("a", java.util.Arrays.asList(1L, -2.5, true, false, null), "b", "x\nyA"), v);
    }

    @Test
    void parse_uint64AboveLongMax_keepsItsBits() {
        assertEquals(-1L, Json.parse("18446744073709551615"));
    }

    @Test
    void parse_errorsNameTheOffset() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{\"a\": }"));
        assertEquals("unexpected character '}' at offset 6", e.getMessage());
        assertThrows(JsonException.class, () -> Json.parse("[1,]"));
        assertThrows(JsonException.class, () -> Json.parse("{} x"));
        assertThrows(JsonException.class, () -> Json.parse("\"unterminated"));
    }

    @Test
    void write_roundTripsAndEscapes() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("s", "q\"\\\n\u0001");
        m.put("l", List.of(1L, 2.5, true));
        String text = Json.write(m);
        assertEquals("{\"s\":\"q\\\"\\\\\\n\\u0001\",\"l\":[1,2.5,true]}", text);
        assertEquals(m, Json.parse(text));
        assertEquals("{\n  \"a\": []\n}", Json.writePretty(Map.of("a", List.of()), 2));
    }

    @Test
    void jsonObject_wrongType_namesThePath() {
        JsonException e = assertThrows(JsonException.class,
                () -> Spec.fromJson(JsonObject.parse("{\"process\": {\"user\": {\"uid\": \"0\"}}}")));
        assertEquals("process.user.uid: expected an integer", e.getMessage());
    }
}
