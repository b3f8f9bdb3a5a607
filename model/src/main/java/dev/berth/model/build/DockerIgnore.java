package dev.berth.model.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} file, as docker's CLI applies them to a build context: one pattern per
 * line, blank lines and {@code #} comments skipped, a leading {@code !} re-includes, patterns are relative to the
 * context's root (a leading {@code /} is dropped and the pattern cleaned like a path), {@code *} and {@code ?} do not
 * cross a {@code /}, {@code **} matches any number of directories, {@code [...]} is a class and {@code \} escapes;
 * a pattern that matches a directory matches everything under it, and the last matching pattern decides.
 *
 * <p>docker sends the Dockerfile and {@code .dockerignore} even when a pattern excludes them; that is the caller's
 * rule, not this class's.
 */
public final class DockerIgnore {
    private record Rule(Pattern pattern, int depth, boolean exclusion) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** No rules: nothing is excluded. */
    public static final DockerIgnore NONE = new DockerIgnore(List.of());

    /** Parses a {@code .dockerignore}'s text; an invalid pattern is an {@link IllegalArgumentException} naming it. */
    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean exclusion = pattern.startsWith("!");
            if (exclusion) {
                pattern = pattern.substring(1).strip();
                if (pattern.isEmpty()) {
                    throw new IllegalArgumentException("parse .dockerignore line " + lineNumber
                            + ": illegal exclusion pattern: \"!\"");
                }
            }
            pattern = clean(pattern);
            if (pattern.equals(".")) {
                continue;
            }
            rules.add(new Rule(compile(pattern, lineNumber), pattern.split("/").length, exclusion));
        }
        return new DockerIgnore(rules);
    }

    /** Whether {@code relativePath} ({@code /}-separated, relative to the context's root) is left out. */
    public boolean excludes(String relativePath) {
        String path = clean(relativePath);
        String[] parts = path.split("/");
        boolean excluded = false;
        for (Rule rule : rules) {
            if (rule.exclusion() != excluded) {
                continue;
            }
            boolean match = rule.pattern().matcher(path).matches();
            if (!match && parts.length > 1 && rule.depth() < parts.length) {
                match = rule.pattern().matcher(String.join("/", List.of(parts).subList(0, rule.depth()))).matches();
            }
            if (match) {
                excluded = !rule.exclusion();
            }
        }
        return excluded;
    }

    /** Whether any rule re-includes something ({@code !}): then an excluded directory must still be walked. */
    public boolean hasExclusions() {
        return rules.stream().anyMatch(Rule::exclusion);
    }

    /** Go's {@code filepath.Clean} of a relative path, without a leading {@code /}. */
    private static String clean(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                }
                continue;
            }
            out.add(part);
        }
        return out.isEmpty() ? "." : String.join("/", out);
    }

    /** Go's {@code [...]} (a leading {@code ^} negates, {@code a-z} ranges, {@code \\} escapes) as a Java class. */
    private static String charClass(String body) {
        StringBuilder out = new StringBuilder("[");
        for (int j = 0; j < body.length(); j++) {
            char c = body.charAt(j);
            if (j == 0 && c == '^') {
                out.append('^');
            } else if (c == '-' && j > 0 && j < body.length() - 1) {
                out.append('-');
            } else {
                char literal = c == '\\' && j + 1 < body.length() ? body.charAt(++j) : c;
                if (!Character.isLetterOrDigit(literal)) {
                    out.append('\\');
                }
                out.append(literal);
            }
        }
        return out.append(']').toString();
    }

    private static Pattern compile(String pattern, int lineNumber) {
        StringBuilder regex = new StringBuilder("^");
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                            i++;
                            regex.append("(.*/)?");
                        } else {
                            regex.append(".*");
                        }
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '[' -> {
                    int end = pattern.indexOf(']', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("parse .dockerignore line " + lineNumber
                                + ": syntax error in pattern \"" + pattern + "\"");
                    }
                    regex.append(charClass(pattern.substring(i + 1, end)));
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 < pattern.length()) {
                        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.append('$').toString());
    }
}
