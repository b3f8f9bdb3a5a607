package dev.berth.cli.container;

import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.types.task.Process;
import dev.berth.cli.output.Human;
import java.time.Instant;

/**
 * A container's state in docker's words, from its task: no task or a created one is {@code created}, a running
 * task {@code running}, a paused one {@code paused}, a stopped one {@code exited} with its exit code; without a
 * task, the exit berthd kept when the task's shim died makes it {@code exited} too.
 */
public record ContainerState(Container container, Process task) {

    public static ContainerState of(Container container, Process task) {
        return new ContainerState(container, task);
    }

    public boolean running() {
        return task != null && switch (task.getStatus()) {
            case RUNNING, PAUSED, PAUSING -> true;
            default -> false;
        };
    }

    /**
     * Labels berthd sets on a container whose task ended with its shim (killed): the task is gone then, and these
     * keep its end (berthd's {@code ContainerExitLabels}).
     */
    static final String EXIT_STATUS = "dev.berth.task/exit-status";
    static final String EXITED_AT = "dev.berth.task/exited-at";

    /** docker's {@code State}: created, running, paused, exited. */
    public String state() {
        if (task == null) {
            return lostExitStatus().isPresent() ? "exited" : "created";
        }
        return switch (task.getStatus()) {
            case RUNNING -> "running";
            case PAUSED, PAUSING -> "paused";
            case STOPPED -> "exited";
            default -> "created";
        };
    }

    /** docker's {@code Status}: {@code Up 3 seconds}, {@code Exited (42) 5 seconds ago}, {@code Created}. */
    public String status(Instant created) {
        return switch (state()) {
            case "running" -> "Up " + Human.duration(java.time.Duration.between(created, Instant.now()));
            case "paused" -> "Up " + Human.duration(java.time.Duration.between(created, Instant.now())) + " (Paused)";
            case "exited" -> "Exited (" + exitCode() + ") " + Human.ago(exitedAt());
            default -> "Created";
        };
    }

    public int exitCode() {
        return task == null ? lostExitStatus().orElse(0) : task.getExitStatus();
    }

    private Instant exitedAt() {
        if (task != null) {
            return Instant.ofEpochSecond(task.getExitedAt().getSeconds(), task.getExitedAt().getNanos());
        }
        try {
            return Instant.parse(container.getLabelsOrDefault(EXITED_AT, ""));
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private java.util.Optional<Integer> lostExitStatus() {
        try {
            return java.util.Optional.of(Integer.parseInt(container.getLabelsOrDefault(EXIT_STATUS, "")));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    public int pid() {
        return task == null ? 0 : task.getPid();
    }
}
