package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.output.GoTemplate;
import dev.berth.client.Berth;
import dev.berth.client.Options;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth events}: docker's events of the namespace as they happen, one line each:
 * {@code 2026-01-02T03:04:05.000000000Z container start 4f… (image=busybox, name=web)}.
 */
@Command(name = "events")
public final class EventsCommand extends BaseCommand {
    @Option(names = "--since", description = "Show all events created since timestamp")
    String since;
    @Option(names = "--until", description = "Stream events until this timestamp")
    String until;
    @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();
    @Option(names = "--format", description = "Format the output using the given Go template")
    String format;

    @Override
    int run(Berth berth) {
        Instant now = Instant.now();
        GoTemplate template = format == null ? null
                : GoTemplate.parse(format.equals("json") ? "{{json .}}" : format);
        Options.Events options = new Options.Events(
                Optional.ofNullable(since).map(s -> Times.parse("--since", s, now)),
                Optional.ofNullable(until).map(u -> Times.parse("--until", u, now)), Formats.filters(filters));
        try (Stream<JsonNode> events = berth.events(options)) {
            events.forEachOrdered(e -> {
                out.println(template != null ? template.render(e) : line(e));
                out.flush();
            });
        }
        return 0;
    }

    static String line(JsonNode e) {
        long nanos = e.path("timeNano").asLong(e.path("time").asLong() * 1_000_000_000L);
        Instant at = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
        Map<String, String> attributes = new TreeMap<>();
        e.path("Actor").path("Attributes").properties().forEach(a -> attributes.put(a.getKey(), a.getValue().asText()));
        List<String> attrs = attributes.entrySet().stream().map(a -> a.getKey() + "=" + a.getValue()).toList();
        return Times.NANO_FIXED.format(at) + " " + e.path("Type").asText() + " " + e.path("Action").asText() + " "
                + e.path("Actor").path("ID").asText() + (attrs.isEmpty() ? "" : " (" + String.join(", ", attrs) + ")");
    }
}
