package dev.berth.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's state and start time from {@code /proc/PID/stat}, to tell a live init from a reused pid. */
final class ProcStat {
    private ProcStat() {}

    /** The start time (clock ticks after boot), or empty if the process is gone or a zombie. */
    static OptionalLong liveStartTime(int pid) {
        String stat;
        // a stream, not Files.readString: proc files report size 0 and JDK 25 then reads a truncated prefix
        try (var in = Files.newInputStream(Path.of("/proc/" + pid + "/stat"))) {
            stat = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        // the command name (field 2) may contain spaces and parentheses: fields resume after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (f[0].equals("Z") || f[0].equals("X")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(f[19]));
    }
}
