package dev.berth.runtime.cli;

import dev.berth.runtime.spec.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code ps [--format table|json] ID [ps options]}: the host's {@code ps} output, filtered to the container. */
final class PsCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) throws IOException, InterruptedException {
        Flags.Parsed p = new Flags().value("format", "f").parse(argv, false);
        if (p.args().isEmpty()) {
            throw new Flags.UsageException("\"ps\" requires a container id");
        }
        List<Integer> pids = ctx.runtime().load("ps", p.args().getFirst()).pids();
        String format = p.get("format", "table");
        if (format.equals("json")) {
            ctx.out.println(Json.write(pids.stream().map(Integer::longValue).toList()));
            return 0;
        }
        if (!format.equals("table")) {
            throw new Flags.UsageException("invalid format option");
        }
        List<String> cmd = new ArrayList<>(List.of("ps"));
        List<String> psArgs = p.args().subList(1, p.args().size());
        cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String[] lines = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
        if (ps.waitFor() != 0) {
            throw new IllegalStateException("ps " + String.join(" ", cmd.subList(1, cmd.size())) + ": "
                    + String.join("\n", lines));
        }
        int pidColumn = List.of(lines[0].trim().split("\\s+")).indexOf("PID");
        if (pidColumn < 0) {
            throw new IllegalStateException("ps: no PID column in its output");
        }
        Set<String> wanted = new HashSet<>();
        pids.forEach(pid -> wanted.add(Integer.toString(pid)));
        ctx.out.println(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length > pidColumn && wanted.contains(fields[pidColumn])) {
                ctx.out.println(lines[i]);
            }
        }
        return 0;
    }
}
