package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * docker's top: runs {@code ps} on the host, as docker does, and keeps the rows whose PID column names one of the
 * container's processes.
 *
 * @param titles the header's columns
 * @param processes the selected rows, split as the header is (the last column keeps its spaces)
 */
public record Top(List<String> titles, List<List<String>> processes) {

    static Top run(String psArgs, Set<String> pids) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ps"));
        argv.addAll(Arrays.asList(psArgs.strip().split("\\s+")));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw BerthException.invalidArgument("ps " + psArgs + ": " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.unavailable("ps " + psArgs + ": interrupted");
        }
        String[] lines = out.split("\n");
        List<String> titles = List.of(lines[0].strip().split("\\s+"));
        int pidColumn = titles.indexOf("PID");
        if (pidColumn < 0) {
            throw BerthException.invalidArgument("Couldn't find PID field in ps output");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cols = lines[i].strip().split("\\s+", titles.size());
            if (cols.length > pidColumn && pids.contains(cols[pidColumn])) {
                rows.add(List.of(cols));
            }
        }
        return new Top(titles, rows);
    }
}
