package dev.berth.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.berth.model.DockerJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The part of Go's text/template that docker's {@code --format} flags use: text with actions {@code {{.Field}}},
 * {@code {{.A.B}}}, {@code {{json .X}}}, {@code {{index .Map "key"}}}, {@code {{join .List ","}}},
 * {@code {{upper .X}}}, {@code {{lower .X}}}, {@code {{.Label "key"}}} (a field whose value is a function of its
 * argument). Data is docker's JSON ({@link JsonNode}) or a {@code Map} of fields. {@code \t} and {@code \n} in
 * the format are a tab and a newline, as docker's formatter replaces them; values print as Go's {@code %v} does
 * ({@code map[k:v]}, {@code [a b]}).
 */
public final class GoTemplate {
    private final List<Object> parts;

    private GoTemplate(List<Object> parts) {
        this.parts = parts;
    }

    /** One action: a function name (or null) and its arguments (field paths or string literals). */
    private record Action(String function, List<String> args) {
    }

    public static GoTemplate parse(String format) {
        String f = format.replace("\\t", "\t").replace("\\n", "\n");
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (at < f.length()) {
            int open = f.indexOf("{{", at);
            if (open < 0) {
                parts.add(f.substring(at));
                break;
            }
            if (open > at) {
                parts.add(f.substring(at, open));
            }
            int close = f.indexOf("}}", open);
            if (close < 0) {
                throw new IllegalArgumentException("template: unclosed action in \"" + format + "\"");
            }
            parts.add(action(f.substring(open + 2, close).strip(), format));
            at = close + 2;
        }
        return new GoTemplate(parts);
    }

    private static Action action(String text, String format) {
        List<String> words = words(text);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("template: missing value for command in \"" + format + "\"");
        }
        String first = words.getFirst();
        if (first.startsWith(".") || first.startsWith("\"")) {
            return new Action(null, words);
        }
        if (!List.of("json", "index", "join", "upper", "lower", "title", "println").contains(first)) {
            throw new IllegalArgumentException("template: function \"" + first + "\" not defined");
        }
        return new Action(first, words.subList(1, words.size()));
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                words.add(text.substring(i, end < 0 ? text.length() : end + 1));
                i = end < 0 ? text.length() : end + 1;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                words.add(text.substring(i, end));
                i = end;
            }
        }
        return words;
    }

    public String render(Object data) {
        StringBuilder sb = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String s) {
                sb.append(s);
            } else {
                sb.append(evaluate((Action) part, data));
            }
        }
        return sb.toString();
    }

    private String evaluate(Action a, Object data) {
        if (a.function() == null) {
            Object v = value(a.args().getFirst(), data);
            if (v instanceof Function<?, ?> method && a.args().size() > 1) {
                @SuppressWarnings("unchecked")
                Function<String, Object> m = (Function<String, Object>) method;
                return text(m.apply(literal(a.args().get(1))));
            }
            return text(v);
        }
        List<Object> args = a.args().stream().map(w -> w.startsWith("\"") ? (Object) literal(w)
                : w.matches("\\d+") ? w : value(w, data)).toList();
        return switch (a.function()) {
            case "json" -> new String(DockerJson.write(toJson(args.getFirst())), java.nio.charset.StandardCharsets.UTF_8);
            case "index" -> text(field(args.get(0), String.valueOf(args.get(1))));
            case "join" -> String.join(String.valueOf(args.get(1)), list(args.getFirst()));
            case "upper" -> text(args.getFirst()).toUpperCase(Locale.ROOT);
            case "lower" -> text(args.getFirst()).toLowerCase(Locale.ROOT);
            case "title" -> {
                String t = text(args.getFirst());
                yield t.isEmpty() ? t : Character.toUpperCase(t.charAt(0)) + t.substring(1);
            }
            default -> String.join(" ", args.stream().map(GoTemplate::text).toList()) + "\n";
        };
    }

    private static String literal(String word) {
        return word.length() >= 2 ? word.substring(1, word.length() - 1) : word;
    }

    private static Object value(String path, Object data) {
        if (path.equals(".")) {
            return data;
        }
        Object v = data;
        for (String name : path.substring(1).split("\\.")) {
            v = field(v, name);
        }
        return v;
    }

    private static Object field(Object v, String name) {
        boolean number = name.matches("\\d+");
        if (v instanceof JsonNode node) {
            return node.isArray() && number ? node.get(Integer.parseInt(name)) : node.get(name);
        }
        if (v instanceof Map<?, ?> map) {
            return map.get(name);
        }
        if (v instanceof List<?> list && number && Integer.parseInt(name) < list.size()) {
            return list.get(Integer.parseInt(name));
        }
        return null;
    }

    private static List<String> list(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof JsonNode node && node.isArray()) {
            node.forEach(e -> out.add(text(e)));
        } else if (v instanceof List<?> l) {
            l.forEach(e -> out.add(text(e)));
        } else if (v != null) {
            out.add(text(v));
        }
        return out;
    }

    private static Object toJson(Object v) {
        return v == null ? JsonNodeFactory.instance.nullNode() : v;
    }

    /** Go's {@code %v}: strings bare, maps as {@code map[k:v]} sorted by key, lists as {@code [a b]}. */
    static String text(Object v) {
        if (v == null) {
            return "<no value>";
        }
        if (v instanceof JsonNode node) {
            if (node.isNull()) {
                return "<nil>";
            }
            if (node.isValueNode()) {
                return node.asText();
            }
            if (node.isArray()) {
                List<String> items = new ArrayList<>();
                node.forEach(e -> items.add(text(e)));
                return "[" + String.join(" ", items) + "]";
            }
            List<String> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                entries.add(e.getKey() + ":" + text(e.getValue()));
            }
            entries.sort(null);
            return "map[" + String.join(" ", entries) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            map.forEach((k, val) -> entries.add(k + ":" + text(val)));
            entries.sort(null);
            return "map[" + String.join(" ", entries) + "]";
        }
        if (v instanceof List<?> l) {
            return "[" + String.join(" ", l.stream().map(GoTemplate::text).toList()) + "]";
        }
        return String.valueOf(v);
    }
}
