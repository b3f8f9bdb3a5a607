package dev.berth.it.architecture;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package map that {@code docs/architecture.md} holds between the lines {@value #BEGIN} and {@value #END}: one
 * Markdown table per module, each under a heading that names the module's directory in backticks, with a row per
 * package whose first cell is the package and whose last cell lists the packages it may use:
 *
 * <pre>
 * ### `manager` (dev.berth.manager): berthd
 *
 * | package | what it is | may use |
 * |---|---|---|
 * | `manager.fs` | file metadata and tree copies | `runtime.syscall` |
 * | `manager.server` | the composition root | `api.errdefs`, `manager.*`, `runtime.syscall` |
 * </pre>
 *
 * <p>Names are relative to {@code dev.berth}. {@code p.*} stands for {@code p} and every package below it, in the
 * last cell and in the first (a row for a family of packages; a package's own row wins over a family's, and a
 * nearer family over a farther one; the packages of a family may use each other). {@code —} (or an empty cell)
 * means no Berth package.
 */
record PackageMap(List<Row> rows) {
    static final String BEGIN = "<!-- package-map -->";
    static final String END = "<!-- /package-map -->";

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*(\\.\\*)?");
    private static final Pattern MODULE = Pattern.compile("^#+\\s*`([^`]+)`");
    private static final Pattern SEPARATOR = Pattern.compile("[\\s|:\\-]+");

    /**
     * One row.
     *
     * @param line the row's line number in the document, for messages
     */
    record Row(String module, String name, List<String> allowed, int line) {
        boolean isFamily() {
            return name.endsWith(".*");
        }

        boolean covers(String pkg) {
            return matches(name, pkg);
        }

        /** Whether {@code pkg} is one this row names in its last cell. */
        boolean allows(String pkg) {
            return allowed.stream().anyMatch(a -> matches(a, pkg));
        }

        @Override
        public String toString() {
            return "row `" + name + "` (docs/architecture.md:" + line + ")";
        }
    }

    /** Whether {@code pattern} ({@code p} or {@code p.*}) names {@code pkg}. */
    static boolean matches(String pattern, String pkg) {
        if (pattern.endsWith(".*")) {
            String base = pattern.substring(0, pattern.length() - 2);
            return pkg.equals(base) || pkg.startsWith(base + ".");
        }
        return pattern.equals(pkg);
    }

    /** @throws IllegalArgumentException naming the line of anything that is not a heading, a row or blank */
    static PackageMap parse(String markdown) {
        String[] lines = markdown.split("\n", -1);
        List<Row> rows = new ArrayList<>();
        boolean inside = false;
        boolean seen = false;
        String module = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            if (line.equals(BEGIN)) {
                inside = true;
                seen = true;
                continue;
            }
            if (line.equals(END)) {
                inside = false;
                continue;
            }
            if (!inside || line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher m = MODULE.matcher(line);
                if (!m.find()) {
                    throw new IllegalArgumentException("docs/architecture.md:" + number
                            + ": a heading in the package map names no module in backticks: " + line);
                }
                module = m.group(1);
            } else if (line.startsWith("|")) {
                List<String> cells = cells(line);
                String first = unquote(cells.getFirst());
                if (first.equals("package") || SEPARATOR.matcher(line).matches()) {
                    continue;
                }
                if (module == null) {
                    throw new IllegalArgumentException("docs/architecture.md:" + number
                            + ": a row before the first module heading");
                }
                if (cells.size() < 2) {
                    throw new IllegalArgumentException("docs/architecture.md:" + number + ": a row needs a package "
                            + "and a last cell of what it may use: " + line);
                }
                rows.add(new Row(module, name(first, number), allowed(cells.getLast(), number), number));
            } else {
                throw new IllegalArgumentException("docs/architecture.md:" + number
                        + ": the package map holds only module headings and table rows: " + line);
            }
        }
        if (!seen) {
            throw new IllegalArgumentException("docs/architecture.md: no " + BEGIN + " line");
        }
        if (inside) {
            throw new IllegalArgumentException("docs/architecture.md: no " + END + " line after " + BEGIN);
        }
        return new PackageMap(List.copyOf(rows));
    }

    /**
     * The row that speaks for {@code pkg}: its own, else the nearest family covering it.
     */
    Optional<Row> rowFor(String pkg) {
        return rows.stream().filter(r -> r.covers(pkg))
                .max(Comparator.comparing((Row r) -> !r.isFamily()).thenComparing(r -> r.name().length()));
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1);
        if (inner.endsWith("|")) {
            inner = inner.substring(0, inner.length() - 1);
        }
        return List.of(inner.split("\\|", -1)).stream().map(String::strip).toList();
    }

    private static String unquote(String cell) {
        return cell.replace("`", "").strip();
    }

    private static String name(String cell, int line) {
        if (!NAME.matcher(cell).matches()) {
            throw new IllegalArgumentException("docs/architecture.md:" + line + ": not a package name: " + cell);
        }
        return cell;
    }

    private static List<String> allowed(String cell, int line) {
        String text = unquote(cell);
        if (text.isEmpty() || text.equals("—") || text.equals("-")) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String item : text.split(",")) {
            names.add(name(item.strip(), line));
        }
        return List.copyOf(names);
    }
}
