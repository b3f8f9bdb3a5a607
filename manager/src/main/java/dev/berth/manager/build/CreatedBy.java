package dev.berth.manager.build;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * docker's {@code created_by} strings (the classic builder's, which buildah writes too): a RUN's command line, with
 * {@code |N k=v … } before it when build args are in effect; a metadata step's {@code <shell> #(nop)  <what>};
 * WORKDIR's and COPY/ADD's with a single space after {@code #(nop)}.
 */
final class CreatedBy {
    private CreatedBy() {
    }

    static String run(List<String> argv, List<String> buildArgs) {
        String cmd = String.join(" ", argv);
        return buildArgs.isEmpty() ? cmd : "|" + buildArgs.size() + " " + String.join(" ", buildArgs) + " " + cmd;
    }

    /** A metadata step: {@code /bin/sh -c #(nop)  ENV A=b}. */
    static String nop(List<String> shell, String what) {
        return String.join(" ", shell) + " #(nop)  " + what;
    }

    /** WORKDIR, COPY and ADD: {@code /bin/sh -c #(nop) WORKDIR /app}. */
    static String nopOneSpace(List<String> shell, String what) {
        return String.join(" ", shell) + " #(nop) " + what;
    }

    /** Go's {@code %q} of a string slice, as docker prints CMD and ENTRYPOINT: {@code ["sh" "-c" "x"]}. */
    static String quoted(List<String> words) {
        return words.stream().map(CreatedBy::quote).collect(Collectors.joining(" ", "[", "]"));
    }

    /** Go's {@code %v} of a string slice: {@code [/data /logs]}. */
    static String plain(List<String> words) {
        return "[" + String.join(" ", words) + "]";
    }

    static String quote(String s) {
        return GoFormat.quote(s);
    }

    /**
     * HEALTHCHECK's text: Go's {@code %q} of docker's {@code *HealthConfig} (Test, Interval, Timeout, StartPeriod,
     * Retries), e.g. {@code HEALTHCHECK &{["CMD-SHELL" "true"] "30s" "0s" "0s" '\x03'}}; an option not given is
     * zero.
     */
    static String healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                              int retries) {
        return "HEALTHCHECK &{" + quoted(test) + " " + quote(GoFormat.duration(interval)) + " "
                + quote(GoFormat.duration(timeout)) + " " + quote(GoFormat.duration(startPeriod)) + " "
                + GoFormat.quoteRune(retries) + "}";
    }
}
