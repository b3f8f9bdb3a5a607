package dev.berth.manager.build.dockerfile;

import dev.berth.api.errdefs.BerthException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * docker's build-time substitution of one word: {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-word}} (word when
 * unset or empty), {@code ${NAME-word}} (when unset), {@code ${NAME:+word}} (word when set and not empty), {@code
 * ${NAME+word}} (when set), {@code ${NAME:?message}} and {@code ${NAME?message}} (an error when unset), with the
 * quoting rules of the shell: nothing is substituted inside single quotes, double quotes group and allow
 * substitution, the escape character takes the next character literally; quotes and escapes are removed. An
 * unknown name is the empty string, as in docker.
 */
public final class Expander {
    private final char escape;
    private final Function<String, Optional<String>> lookup;

    public Expander(char escape, Function<String, Optional<String>> lookup) {
        this.escape = escape;
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** {@code word} with its references substituted and its quotes and escapes removed. */
    public String expand(String word) {
        Scan scan = new Scan(word);
        String result = scan.until((char) 0);
        return result;
    }

    /** One pass over a word; {@code until} stops at an unquoted {@code stop} character (0: the end). */
    private final class Scan {
        private final String text;
        private int pos;

        Scan(String text) {
            this.text = text;
        }

        String until(char stop) {
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (stop != 0 && c == stop) {
                    return out.toString();
                }
                pos++;
                if (c == escape) {
                    if (pos < text.length()) {
                        out.append(text.charAt(pos++));
                    } else {
                        out.append(c);
                    }
                } else if (c == '\'') {
                    out.append(singleQuoted());
                } else if (c == '"') {
                    out.append(doubleQuoted());
                } else if (c == '$') {
                    out.append(dollar());
                } else {
                    out.append(c);
                }
            }
            if (stop != 0) {
                throw error("missing '" + stop + "'");
            }
            return out.toString();
        }

        private String singleQuoted() {
            int end = text.indexOf('\'', pos);
            if (end < 0) {
                throw error("unexpected end of statement while looking for matching single-quote");
            }
            String quoted = text.substring(pos, end);
            pos = end + 1;
            return quoted;
        }

        private String doubleQuoted() {
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == escape && pos < text.length()) {
                    char next = text.charAt(pos++);
                    if (next != '"' && next != '$' && next != escape) {
                        out.append(c);
                    }
                    out.append(next);
                } else if (c == '$') {
                    out.append(dollar());
                } else {
                    out.append(c);
                }
            }
            throw error("unexpected end of statement while looking for matching double-quote");
        }

        private String dollar() {
            if (pos >= text.length()) {
                return "$";
            }
            char c = text.charAt(pos);
            if (c != '{') {
                String name = name();
                return name.isEmpty() ? "$" : lookup.apply(name).orElse("");
            }
            pos++;
            String name = name();
            if (name.isEmpty()) {
                throw error("bad substitution");
            }
            if (pos >= text.length()) {
                throw error("missing '}'");
            }
            char op = text.charAt(pos++);
            if (op == '}') {
                return lookup.apply(name).orElse("");
            }
            boolean colon = op == ':';
            if (colon) {
                if (pos >= text.length()) {
                    throw error("missing '}'");
                }
                op = text.charAt(pos++);
            }
            if (op != '-' && op != '+' && op != '?') {
                throw error("unsupported modifier (" + (colon ? ":" : "") + op + ") in substitution");
            }
            String word = until('}');
            pos++;
            Optional<String> value = lookup.apply(name);
            boolean set = colon ? value.filter(v -> !v.isEmpty()).isPresent() : value.isPresent();
            return switch (op) {
                case '-' -> set ? value.get() : word;
                case '+' -> set ? word : "";
                default -> {
                    if (!set) {
                        throw error(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                    }
                    yield value.get();
                }
            };
        }

        private String name() {
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (!(Character.isLetterOrDigit(c) || c == '_') || c > 127) {
                    break;
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        private BerthException error(String what) {
            return BerthException.invalidArgument("expand \"" + text + "\": " + what);
        }
    }
}
