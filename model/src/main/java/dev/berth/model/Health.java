package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * docker's health state ({@code State.Health}): {@code Status} starting, healthy or unhealthy, the count of
 * consecutive failed probes, and the last probes (docker keeps five).
 */
public record Health(@JsonProperty("Status") String status,
                     @JsonProperty("FailingStreak") int failingStreak,
                     @JsonProperty("Log") List<Probe> log) {
    public Health {
        log = log == null ? List.of() : List.copyOf(log);
    }

    /** One probe: start and end (RFC 3339), the command's exit code and its output (at most 4 KiB). */
    public record Probe(@JsonProperty("Start") String start,
                        @JsonProperty("End") String end,
                        @JsonProperty("ExitCode") int exitCode,
                        @JsonProperty("Output") String output) {
    }
}
