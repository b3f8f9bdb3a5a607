package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.cli.output.DockerJsonPrinter;
import dev.berth.cli.output.GoTemplate;
import dev.berth.client.DaemonException;
import dev.berth.model.DockerJson;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;

/**
 * docker's {@code inspect} of named objects of one kind ({@code volume inspect}, {@code network inspect}): their
 * documents as one indented array, or each through {@code -f}; an unknown name is {@code Error: No such KIND: NAME}
 * on stderr and exit code 1, after the others are printed.
 */
final class Inspections {
    private Inspections() {
    }

    static int print(List<String> names, String format, String kind, Function<String, JsonNode> find,
                     PrintStream out, PrintStream err) {
        ArrayNode found = DockerJson.mapper().createArrayNode();
        GoTemplate template = format == null ? null : GoTemplate.parse(format);
        int status = 0;
        for (String name : names) {
            try {
                JsonNode doc = find.apply(name);
                if (template != null) {
                    out.println(template.render(doc));
                } else {
                    found.add(doc);
                }
            } catch (DaemonException e) {
                if (!e.notFound()) {
                    throw e;
                }
                err.println("Error: No such " + kind + ": " + name);
                status = 1;
            }
        }
        if (template == null) {
            out.println(DockerJsonPrinter.indented(found));
        }
        return status;
    }
}
