package dev.berth.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.DockerJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The Go template subset docker's --format uses, rendered as docker renders it. */
class GoTemplateTest {
    private static JsonNode json(String s) throws IOException {
        return DockerJson.mapper().readTree(s);
    }

    @Test
    void fieldsPathsAndTabs() throws IOException {
        JsonNode c = json("{\"Id\":\"abc\",\"State\":{\"Status\":\"running\",\"Pid\":42}}");
        assertEquals("abc\trunning 42", GoTemplate.parse("{{.Id}}\\t{{.State.Status}} {{ .State.Pid }}").render(c));
    }

    @Test
    void functions() throws IOException {
        JsonNode c = json("{\"Config\":{\"Env\":[\"A=1\",\"B=2\"],\"Labels\":{\"k\":\"v\"}},\"Name\":\"/web\"}");
        assertEquals("A=1", GoTemplate.parse("{{index .Config.Env 0}}").render(c));
        assertEquals("v", GoTemplate.parse("{{index .Config.Labels \"k\"}}").render(c));
        assertEquals("A=1,B=2", GoTemplate.parse("{{join .Config.Env \",\"}}").render(c));
        assertEquals("{\"Env\":[\"A=1\",\"B=2\"],\"Labels\":{\"k\":\"v\"}}",
                GoTemplate.parse("{{json .Config}}").render(c));
        assertEquals("/WEB", GoTemplate.parse("{{upper .Name}}").render(c));
    }

    @Test
    void goValueFormatting() throws IOException {
        JsonNode c = json("{\"L\":{\"b\":\"2\",\"a\":\"1\"},\"A\":[\"x\",\"y\"],\"N\":null}");
        assertEquals("map[a:1 b:2] [x y] <nil> <no value>", GoTemplate.parse("{{.L}} {{.A}} {{.N}} {{.Missing}}")
                .render(c));
    }

    @Test
    void methodFields() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Label", (Function<String, Object>) k -> k.equals("tier") ? "web" : "");
        assertEquals("web", GoTemplate.parse("{{.Label \"tier\"}}").render(row));
    }

    @Test
    void badTemplates_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> GoTemplate.parse("{{.Id"));
        assertThrows(IllegalArgumentException.class, () -> GoTemplate.parse("{{frobnicate .Id}}"));
    }

    @Test
    void table_isGosTabwriterAsDockerSetsIt() {
        Table t = new Table("CONTAINER ID", "NAMES");
        t.add("abc", "web");
        t.add("abcdefabcdef", "db");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(List.of("CONTAINER ID   NAMES", "abc            web", "abcdefabcdef   db"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
        Table narrow = new Table("A", "B");
        ByteArrayOutputStream b2 = new ByteArrayOutputStream();
        narrow.print(new PrintStream(b2, true, StandardCharsets.UTF_8));
        assertEquals("A         B\n", b2.toString(StandardCharsets.UTF_8), "a column is at least ten wide");
    }

    @Test
    void dockerJson_isIndentedAsGosMarshalIndent() throws IOException {
        assertEquals("[\n    {\n        \"Id\": \"a\",\n        \"Args\": []\n    }\n]",
                DockerJsonPrinter.indented(json("[{\"Id\":\"a\",\"Args\":[]}]")));
    }
}
