package dev.berth.cli.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** docker's plain tables: upper-case headers, columns padded to their widest cell and three spaces apart. */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public void add(String... cells) {
        rows.add(List.of(cells));
    }

    public void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                sb.append(row.get(i));
                if (i < row.size() - 1) {
                    sb.repeat(" ", widths[i] - row.get(i).length() + 3);
                }
            }
            sb.append('\n');
        }
        out.print(sb);
        out.flush();
    }
}
