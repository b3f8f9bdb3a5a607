package dev.berth.manager.filter;

import dev.berth.api.errdefs.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * containerd's filter language ({@code filters} package): each string is a conjunction of comma-separated
 * selectors, the list is their disjunction, and an empty list matches everything.
 *
 * <pre>
 * filter   := selector ("," selector)*
 * selector := fieldpath [op value]          (no op: the field is present)
 * fieldpath:= field ("." field)*            (a field may be "quoted")
 * op       := "==" | "!=" | "~="            (~= is a regular expression search)
 * value    := bare | "quoted" | /quoted/ | |quoted|   (a value with '/' must be quoted)
 * </pre>
 *
 * Example: {@code topic=="/tasks/exit",namespace==default}, {@code labels."io.x/role"~=^web}.
 */
public final class Filter {

    /** Gives the value of a field path of the object being matched, or null when the object has no such field. */
    @FunctionalInterface
    public interface Fields {
        String get(List<String> path);
    }

    private enum Op { PRESENT, EQUAL, NOT_EQUAL, MATCHES }

    private record Selector(List<String> path, Op op, String value, Pattern regex) {
        boolean matches(Fields fields) {
            String actual = fields.get(path);
            return switch (op) {
                case PRESENT -> actual != null;
                case EQUAL -> value.equals(actual);
                case NOT_EQUAL -> !value.equals(actual);
                case MATCHES -> actual != null && regex.matcher(actual).find();
            };
        }
    }

    private static final Filter ALWAYS = new Filter(List.of());

    private final List<List<Selector>> alternatives;

    private Filter(List<List<Selector>> alternatives) {
        this.alternatives = alternatives;
    }

    /** Parses the filters of a request; INVALID_ARGUMENT naming the filter and the position when one is malformed. */
    public static Filter parse(List<String> filters) {
        List<List<Selector>> alts = new ArrayList<>();
        for (String f : filters) {
            if (!f.isBlank()) {
                alts.add(new Parser(f).conjunction());
            }
        }
        return alts.isEmpty() ? ALWAYS : new Filter(List.copyOf(alts));
    }

    public boolean matches(Fields fields) {
        if (alternatives.isEmpty()) {
            return true;
        }
        for (List<Selector> all : alternatives) {
            if (all.stream().allMatch(s -> s.matches(fields))) {
                return true;
            }
        }
        return false;
    }

    /** A hand-written scanner for one filter string. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        List<Selector> conjunction() {
            List<Selector> out = new ArrayList<>();
            do {
                out.add(selector());
                skipSpace();
            } while (consume(','));
            if (pos != s.length()) {
                throw error("unexpected " + s.charAt(pos));
            }
            return List.copyOf(out);
        }

        private Selector selector() {
            List<String> path = new ArrayList<>();
            path.add(field());
            while (consume('.')) {
                path.add(field());
            }
            skipSpace();
            Op op;
            if (s.startsWith("==", pos)) {
                op = Op.EQUAL;
            } else if (s.startsWith("!=", pos)) {
                op = Op.NOT_EQUAL;
            } else if (s.startsWith("~=", pos)) {
                op = Op.MATCHES;
            } else {
                return new Selector(List.copyOf(path), Op.PRESENT, null, null);
            }
            pos += 2;
            skipSpace();
            String value = value();
            Pattern regex = null;
            if (op == Op.MATCHES) {
                try {
                    regex = Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    throw error("invalid regular expression " + value);
                }
            }
            return new Selector(List.copyOf(path), op, value, regex);
        }

        private String field() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '"') {
                return quoted('"');
            }
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a field name");
            }
            return s.substring(start, pos);
        }

        private String value() {
            if (pos < s.length() && (s.charAt(pos) == '"' || s.charAt(pos) == '/' || s.charAt(pos) == '|')) {
                return quoted(s.charAt(pos));
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a value");
            }
            return s.substring(start, pos);
        }

        private String quoted(char quote) {
            pos++;
            StringBuilder out = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != quote) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    char e = s.charAt(pos++);
                    out.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    out.append(c);
                }
            }
            if (pos >= s.length()) {
                throw error("unterminated quote");
            }
            pos++;
            return out.toString();
        }

        private boolean consume(char c) {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private BerthException error(String what) {
            return BerthException.invalidArgument("parse filter " + s + ": " + what + " at " + pos);
        }
    }
}
