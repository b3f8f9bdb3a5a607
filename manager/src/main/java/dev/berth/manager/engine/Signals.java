package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import java.util.List;
import java.util.Locale;

/** Linux signal names and numbers as docker parses them: {@code KILL}, {@code SIGKILL} or {@code 9}. */
final class Signals {
    static final int SIGKILL = 9;
    static final int SIGTERM = 15;
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private Signals() {
    }

    /** The number of {@code signal}; {@code dflt} when empty; INVALID_ARGUMENT naming it when unknown. */
    static int parse(String signal, int dflt) {
        if (signal == null || signal.isBlank()) {
            return dflt;
        }
        String s = signal.strip().toUpperCase(Locale.ROOT);
        if (s.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(s);
            if (n < 1 || n > 64) {
                throw BerthException.invalidArgument("Invalid signal: " + signal);
            }
            return n;
        }
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        if (s.equals("IOT")) {
            return 6;
        }
        if (s.startsWith("RTMIN+")) {
            return 34 + Integer.parseInt(s.substring(6));
        }
        int i = NAMES.indexOf(s);
        if (i <= 0) {
            throw BerthException.invalidArgument("Invalid signal: " + signal);
        }
        return i;
    }
}
