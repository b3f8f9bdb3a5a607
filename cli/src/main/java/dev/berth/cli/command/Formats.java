package dev.berth.cli.command;

import dev.berth.cli.client.CliException;
import dev.berth.cli.output.GoTemplate;
import dev.berth.cli.output.Table;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker's {@code --format} for lists: a Go template per row, {@code table …} with a header row of docker's
 * column names, {@code json} for one JSON object a line.
 */
final class Formats {
    private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*\\.(\\w+)[^}]*}}");

    private Formats() {
    }

    /** Renders {@code rows} as {@code format} says; {@code headers} maps field names to docker's column titles. */
    static void print(String format, List<? extends Map<String, Object>> rows, Map<String, String> headers,
                      PrintStream out) {
        String f = format.equals("json") ? "{{json .}}" : format;
        boolean table = f.startsWith("table");
        GoTemplate template;
        try {
            template = GoTemplate.parse(table ? f.substring("table".length()).strip() : f);
        } catch (IllegalArgumentException e) {
            throw CliException.failed("Template parsing error: " + e.getMessage());
        }
        if (!table) {
            // {{json .}} prints the whole row: without the function-valued fields ({{.Label "k"}} needs them)
            boolean whole = f.replace(" ", "").contains("json.}}");
            StringBuilder sb = new StringBuilder();
            for (Map<String, Object> row : rows) {
                sb.append(template.render(whole ? printable(row) : row)).append('\n');
            }
            out.print(sb);
            out.flush();
            return;
        }
        Table t = new Table();
        t.addLine(header(f.substring("table".length()).strip(), headers));
        for (Map<String, Object> row : rows) {
            t.addLine(template.render(row));
        }
        t.print(out);
    }

    /** {@code {{json .}}} must not see the function-valued fields. */
    private static Map<String, Object> printable(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (!(v instanceof java.util.function.Function<?, ?>)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The header row: each {@code {{.Field}}} replaced by its column title, the rest kept. */
    static String header(String format, Map<String, String> headers) {
        String f = format.replace("\\t", "\t").replace("\\n", "\n");
        Matcher m = FIELD.matcher(f);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String title = headers.getOrDefault(m.group(1), m.group(1).toUpperCase(java.util.Locale.ROOT));
            m.appendReplacement(sb, Matcher.quoteReplacement(title));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** {@code k=v} filter flags as docker's filter map. */
    static Map<String, List<String>> filters(List<String> flags) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String f : flags) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw CliException.failed("invalid argument \"" + f + "\" for \"-f, --filter\" flag: bad format of "
                        + "filter (expected name=value)");
            }
            out.computeIfAbsent(f.substring(0, eq), k -> new java.util.ArrayList<>()).add(f.substring(eq + 1));
        }
        return out;
    }
}
