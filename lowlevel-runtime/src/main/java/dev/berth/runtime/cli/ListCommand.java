package dev.berth.runtime.cli;

import dev.berth.runtime.container.Container;
import dev.berth.runtime.spec.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code list [--format table|json] [--quiet]}. */
final class ListCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) {
        Flags.Parsed p = new Flags().value("format", "f").bool("quiet", "q").parse(argv, false);
        List<Map<String, Object>> states = new ArrayList<>();
        for (Container c : ctx.runtime().list()) {
            states.add(c.ociState());
        }
        if (p.has("quiet")) {
            states.forEach(s -> ctx.out.println(s.get("id")));
            return 0;
        }
        switch (p.get("format", "table")) {
            // runc prints null, not [], for no containers
            case "json" -> ctx.out.println(states.isEmpty() ? "null" : Json.write(states));
            case "table" -> printTable(ctx, states);
            default -> throw new Flags.UsageException("invalid format option");
        }
        return 0;
    }

    private static void printTable(Context ctx, List<Map<String, Object>> states) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"});
        for (Map<String, Object> s : states) {
            rows.add(new String[] {(String) s.get("id"), String.valueOf(s.get("pid")), (String) s.get("status"),
                (String) s.get("bundle"), (String) s.get("created"), "root"});
        }
        int[] widths = new int[6];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) {
                    sb.repeat(' ', widths[i] - r[i].length() + 4);
                }
            }
            ctx.out.println(sb);
        }
    }
}
