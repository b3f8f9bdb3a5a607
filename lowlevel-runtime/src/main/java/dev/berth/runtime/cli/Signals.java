package dev.berth.runtime.cli;

import java.util.Locale;
import java.util.Map;

/** Signal names and numbers on Linux x86_64, for {@code kill ID SIGNAL}. */
final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17),
            Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21),
            Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {}

    /** Parses {@code 9}, {@code KILL}, {@code SIGKILL} or {@code SIGRTMIN+3}. */
    static int parse(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n > 0 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            String name = s.toUpperCase(Locale.ROOT);
            if (name.startsWith("SIG")) {
                name = name.substring(3);
            }
            Integer n = NUMBERS.get(name);
            if (n != null) {
                return n;
            }
            if (name.startsWith("RTMIN")) {
                int off = name.length() == 5 ? 0 : parseOffset(name.substring(5));
                if (off >= 0 && 34 + off <= 64) {
                    return 34 + off;
                }
            }
            if (name.startsWith("RTMAX")) {
                int off = name.length() == 5 ? 0 : -parseOffset(name.substring(5).replace('-', '+'));
                if (off <= 0 && 64 + off >= 34) {
                    return 64 + off;
                }
            }
        }
        throw new Flags.UsageException("unknown signal \"" + s + "\"");
    }

    private static int parseOffset(String s) {
        try {
            return s.startsWith("+") ? Integer.parseInt(s.substring(1)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
