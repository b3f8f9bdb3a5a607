package dev.berth.manager.server;

import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.task.LostTaskExits;
import dev.berth.manager.task.shim.ProcessExit;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * {@link LostTaskExits} as two labels on the container's record, {@value #EXIT_STATUS} (the shell's status: 137 for
 * a SIGKILL) and {@value #EXITED_AT} (ISO-8601), which the CLI shows for a container that has no task.
 */
final class ContainerExitLabels implements LostTaskExits {
    static final String EXIT_STATUS = "dev.berth.task/exit-status";
    static final String EXITED_AT = "dev.berth.task/exited-at";

    private final MetadataDb db;

    ContainerExitLabels(MetadataDb db) {
        this.db = db;
    }

    @Override
    public void keep(String namespace, String containerId, ProcessExit exit) throws IOException {
        db.containers(namespace).update(ContainerRecord.builder(containerId).labels(Map.of(
                        EXIT_STATUS, Integer.toString(exit.exitStatus()), EXITED_AT, exit.exitedAt().toString()))
                .build(), Set.of("labels." + EXIT_STATUS, "labels." + EXITED_AT));
    }
}
