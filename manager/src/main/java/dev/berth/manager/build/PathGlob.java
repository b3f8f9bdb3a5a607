package dev.berth.manager.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * COPY and ADD source patterns as docker's classic builder matches them: Go's {@code filepath.Match} ({@code *},
 * {@code ?}, {@code [...]} with {@code ^} and ranges, {@code \} escaping) against the paths of a walk of the
 * source's root that does not follow symlinks, in the walk's lexical order. A wildcard never matches {@code /}, so
 * the pattern is matched a component at a time; a malformed pattern matches nothing, as docker ignores Match's
 * error.
 */
final class PathGlob {
    private PathGlob() {
    }

    /** docker's {@code containsWildcards}: an unescaped {@code *}, {@code ?} or {@code [}. */
    static boolean hasWildcards(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    /** The paths under {@code root} (relative, {@code /}-separated) that the cleaned {@code components} match. */
    static List<String> expand(Path root, List<String> components) throws IOException {
        List<String> out = new ArrayList<>();
        if (!components.isEmpty()) {
            expand(root, "", components, 0, out);
        }
        return out;
    }

    private static void expand(Path dir, String prefix, List<String> components, int index, List<String> out)
            throws IOException {
        boolean last = index == components.size() - 1;
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            if (!matches(components.get(index), name)) {
                continue;
            }
            String rel = prefix.isEmpty() ? name : prefix + "/" + name;
            if (last) {
                out.add(rel);
            } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                expand(child, rel, components, index + 1, out);
            }
        }
    }

    /** Go's {@code filepath.Match} of one path component; false for a malformed pattern. */
    static boolean matches(String pattern, String name) {
        try {
            return match(pattern, 0, name, 0);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static boolean match(String p, int pi, String n, int ni) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            switch (c) {
                case '*' -> {
                    while (pi < p.length() && p.charAt(pi) == '*') {
                        pi++;
                    }
                    if (pi == p.length()) {
                        return true;
                    }
                    for (int k = ni; k <= n.length(); k++) {
                        if (match(p, pi, n, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> {
                    if (ni >= n.length()) {
                        return false;
                    }
                    pi++;
                    ni++;
                }
                case '[' -> {
                    if (ni >= n.length()) {
                        return false;
                    }
                    int end = matchClass(p, pi + 1, n.charAt(ni));
                    if (end < 0) {
                        return false;
                    }
                    pi = end;
                    ni++;
                }
                default -> {
                    if (c == '\\') {
                        pi++;
                        if (pi >= p.length()) {
                            throw new IllegalArgumentException("trailing escape");
                        }
                    }
                    if (ni >= n.length() || n.charAt(ni) != p.charAt(pi)) {
                        return false;
                    }
                    pi++;
                    ni++;
                }
            }
        }
        return ni == n.length();
    }

    /** A class from {@code p[i]} (after its {@code [}): the index after its {@code ]} when {@code c} is in it. */
    private static int matchClass(String p, int i, char c) {
        boolean negated = i < p.length() && p.charAt(i) == '^';
        if (negated) {
            i++;
        }
        boolean matched = false;
        int ranges = 0;
        while (true) {
            if (i < p.length() && p.charAt(i) == ']' && ranges > 0) {
                i++;
                break;
            }
            int[] lo = escaped(p, i);
            int[] hi = lo;
            i = lo[1];
            if (p.charAt(i) == '-') {
                hi = escaped(p, i + 1);
                i = hi[1];
            }
            if (lo[0] <= c && c <= hi[0]) {
                matched = true;
            }
            ranges++;
        }
        return matched == negated ? -1 : i;
    }

    /** Go's getEsc: the character at {@code i} (unescaped) and the index after it. */
    private static int[] escaped(String p, int i) {
        if (i >= p.length() || p.charAt(i) == '-' || p.charAt(i) == ']') {
            throw new IllegalArgumentException("bad class");
        }
        if (p.charAt(i) == '\\') {
            i++;
            if (i >= p.length()) {
                throw new IllegalArgumentException("bad escape");
            }
        }
        if (i + 1 >= p.length()) {
            throw new IllegalArgumentException("unterminated class");
        }
        return new int[] {p.charAt(i), i + 1};
    }
}
