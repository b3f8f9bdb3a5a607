package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * docker's container state ({@code State} in inspect): {@code Status} is one of created, running, paused,
 * restarting, removing, exited, dead; times are RFC 3339 with nanoseconds, {@code 0001-01-01T00:00:00Z} when never.
 */
public record ContainerState(@JsonProperty("Status") String status,
                             @JsonProperty("Running") boolean running,
                             @JsonProperty("Paused") boolean paused,
                             @JsonProperty("Restarting") boolean restarting,
                             @JsonProperty("OOMKilled") boolean oomKilled,
                             @JsonProperty("Dead") boolean dead,
                             @JsonProperty("Pid") int pid,
                             @JsonProperty("ExitCode") int exitCode,
                             @JsonProperty("Error") String error,
                             @JsonProperty("StartedAt") String startedAt,
                             @JsonProperty("FinishedAt") String finishedAt,
                             @JsonProperty("Health") Health health) {

    /** docker's zero time, which inspect shows for a time that has not happened. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";
}
