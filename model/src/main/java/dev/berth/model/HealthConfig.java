package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * docker's healthcheck: {@code Test} is {@code ["NONE"]}, {@code ["CMD", args…]}, {@code ["CMD-SHELL", command]}
 * or empty to inherit the image's; durations in nanoseconds, 0 for the default (30 s interval and timeout, 0 s
 * start period, 3 retries).
 */
public record HealthConfig(@JsonProperty("Test") List<String> test,
                           @JsonProperty("Interval") Long interval,
                           @JsonProperty("Timeout") Long timeout,
                           @JsonProperty("StartPeriod") Long startPeriod,
                           @JsonProperty("Retries") Integer retries) {
    public HealthConfig {
        test = test == null ? null : List.copyOf(test);
    }
}
