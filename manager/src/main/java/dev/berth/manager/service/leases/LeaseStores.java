package dev.berth.manager.service.leases;

import dev.berth.manager.metadata.LeaseStore;

/** A namespace's leases (the metadata layer: {@code MetadataDb::leases}). */
@FunctionalInterface
public interface LeaseStores {
    LeaseStore open(String namespace);
}
