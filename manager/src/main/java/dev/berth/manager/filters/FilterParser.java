package dev.berth.manager.filters;

import dev.berth.api.errdefs.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses one filter with containerd's grammar:
 *
 * <pre>
 * selectors := selector ("," selector)*
 * selector  := fieldpath [operator value]
 * fieldpath := field ("." field)*
 * field     := quoted | [A-Za-z0-9_-]+
 * operator  := "==" | "!=" | "~=" | "@="
 * value     := quoted | [^\s,]+
 * quoted    := a Go string literal delimited by '"', '/' or '|'
 * </pre>
 *
 * As in containerd, {@code /} always opens a quoted literal, so a topic is written {@code topic=="/tasks/exit"}
 * ({@code topic==/tasks/exit} is a parse error) and a regular expression may be delimited by bars:
 * {@code topic~=|^/tasks/|}.
 */
final class FilterParser {
    private final String input;
    private int pos;

    FilterParser(String input) {
        this.input = input;
    }

    Filter parse() {
        List<Selector> all = new ArrayList<>();
        all.add(selector());
        while (true) {
            skipSpace();
            if (atEnd()) {
                break;
            }
            if (peek() != ',') {
                throw error("unexpected input: " + peek());
            }
            pos++;
            all.add(selector());
        }
        List<Selector> copy = List.copyOf(all);
        return fields -> copy.stream().allMatch(s -> s.matches(fields));
    }

    private Selector selector() {
        List<String> path = new ArrayList<>();
        path.add(field());
        while (true) {
            skipSpace();
            if (atEnd() || peek() != '.') {
                break;
            }
            pos++;
            path.add(field());
        }
        skipSpace();
        if (atEnd() || peek() == ',') {
            return new Selector(path, Selector.Operator.PRESENT, "", Optional.empty());
        }
        Selector.Operator operator = operator();
        String value = value();
        Optional<Pattern> pattern = Optional.empty();
        if (operator == Selector.Operator.MATCHES) {
            try {
                pattern = Optional.of(Pattern.compile(value));
            } catch (PatternSyntaxException e) {
                throw error("bad regular expression " + value + ": " + e.getDescription());
            }
        }
        return new Selector(path, operator, value, pattern);
    }

    private String field() {
        skipSpace();
        if (atEnd()) {
            throw error("expected field or quoted");
        }
        if (isQuote(peek())) {
            return quoted();
        }
        int start = pos;
        while (!atEnd() && isFieldChar(peek())) {
            pos++;
        }
        if (start == pos) {
            throw error("expected field or quoted");
        }
        return input.substring(start, pos);
    }

    private Selector.Operator operator() {
        int start = pos;
        while (!atEnd() && "=!~@".indexOf(peek()) >= 0) {
            pos++;
        }
        String op = input.substring(start, pos);
        return switch (op) {
            case "==" -> Selector.Operator.EQUAL;
            case "!=" -> Selector.Operator.NOT_EQUAL;
            case "~=" -> Selector.Operator.MATCHES;
            case "@=" -> Selector.Operator.CONTAINS;
            default -> {
                pos = start;
                throw error(op.isEmpty() ? "expected an operator (\"==\"|\"!=\"|\"~=\"|\"@=\")"
                        : "unsupported operator \"" + op + "\"");
            }
        };
    }

    private String value() {
        skipSpace();
        if (atEnd()) {
            throw error("expected value or quoted");
        }
        if (isQuote(peek())) {
            return quoted();
        }
        int start = pos;
        while (!atEnd() && peek() != ',' && !Character.isWhitespace(peek())) {
            pos++;
        }
        if (start == pos) {
            throw error("expected value or quoted");
        }
        return input.substring(start, pos);
    }

    /** A literal between two equal delimiters, with Go's escapes; the delimiter itself may be escaped. */
    private String quoted() {
        int start = pos;
        char quote = input.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd() || peek() == '\n') {
                pos = start;
                throw error("quoted literal not terminated");
            }
            char c = input.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (atEnd()) {
                pos = start;
                throw error("quoted literal not terminated");
            }
            char e = input.charAt(pos++);
            switch (e) {
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case '\\' -> out.append('\\');
                case 'x' -> out.appendCodePoint(hex(2));
                case 'u' -> out.appendCodePoint(hex(4));
                case 'U' -> out.appendCodePoint(hex(8));
                default -> {
                    if (e == quote) {
                        out.append(e);
                    } else if (e >= '0' && e <= '7') {
                        out.appendCodePoint(octal(e));
                    } else {
                        pos -= 2;
                        throw error("illegal escape sequence");
                    }
                }
            }
        }
    }

    private int hex(int digits) {
        if (pos + digits > input.length()) {
            throw error("illegal numeric escape sequence");
        }
        try {
            int v = Integer.parseUnsignedInt(input.substring(pos, pos + digits), 16);
            pos += digits;
            return v;
        } catch (NumberFormatException e) {
            throw error("illegal numeric escape sequence");
        }
    }

    private int octal(char first) {
        if (pos + 2 > input.length()) {
            throw error("illegal numeric escape sequence");
        }
        String digits = first + input.substring(pos, pos + 2);
        if (!digits.matches("[0-7]{3}") || Integer.parseInt(digits, 8) > 255) {
            throw error("illegal numeric escape sequence");
        }
        pos += 2;
        return Integer.parseInt(digits, 8);
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '/' || c == '|';
    }

    private static boolean isFieldChar(char c) {
        return c == '-' || c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= input.length();
    }

    private char peek() {
        return input.charAt(pos);
    }

    private BerthException error(String message) {
        return BerthException.invalidArgument("parse filter " + input + " at " + pos + ": " + message);
    }
}
