package dev.berth.manager.service.containers;

import dev.berth.manager.metadata.ContainerStore;

/** A namespace's containers (the metadata layer: {@code MetadataDb::containers}). */
@FunctionalInterface
public interface ContainerStores {
    ContainerStore open(String namespace);
}
