package dev.berth.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.DockerJson;
import java.io.UncheckedIOException;

/** JSON as docker's CLI prints it ({@code json.MarshalIndent} with four spaces): {@code "Key": value}, {@code []}. */
public final class DockerJsonPrinter {
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n"));

    private DockerJsonPrinter() {
    }

    public static String indented(JsonNode node) {
        try {
            return DockerJson.mapper().writer(PRINTER).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("write json", e);
        }
    }
}
