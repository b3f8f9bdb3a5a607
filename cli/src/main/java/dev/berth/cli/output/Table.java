package dev.berth.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's tables: Go's {@code tabwriter} as docker's formatter sets it up (minimum width 10, padding 3): each
 * cell but the last padded to its column's widest cell plus three spaces, at least ten wide.
 */
public final class Table {
    private static final int MIN_WIDTH = 10;
    private static final int PADDING = 3;

    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        if (headers.length > 0) {
            rows.add(List.of(headers));
        }
    }

    public void add(String... cells) {
        rows.add(List.of(cells));
    }

    /** A row given as tab-separated text (a rendered template line). */
    public void addLine(String line) {
        rows.add(List.of(line.split("\t", -1)));
    }

    public void print(PrintStream out) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            // as tabwriter: the last cell of a row is not part of a column
            for (int i = 0; i < row.size() - 1; i++) {
                widths[i] = Math.max(widths[i], Math.max(MIN_WIDTH, row.get(i).length() + PADDING));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                sb.append(row.get(i));
                if (i < row.size() - 1) {
                    sb.repeat(" ", widths[i] - row.get(i).length());
                }
            }
            sb.append('\n');
        }
        out.print(sb);
        out.flush();
    }
}
