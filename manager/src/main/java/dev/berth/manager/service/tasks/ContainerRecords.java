package dev.berth.manager.service.tasks;

import dev.berth.manager.metadata.ContainerRecord;
import java.io.IOException;

/** A namespace's container records, which tasks are created from (the metadata layer). */
@FunctionalInterface
public interface ContainerRecords {
    /**
     * @throws dev.berth.api.errdefs.BerthException NOT_FOUND ({@code container <id>: not found})
     */
    ContainerRecord get(String namespace, String id) throws IOException;
}
