package dev.berth.manager.build;

import dev.berth.manager.image.TemporaryLease;
import dev.berth.manager.metadata.LeaseStore;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/**
 * The lease that holds what a build writes until its step images are recorded, made when the build first writes
 * or mounts something: a fully cached build writes nothing, so it neither makes one nor, deleting it, starts a
 * garbage collection. Deleted when the build ends, whatever happened.
 */
final class BuildLease implements AutoCloseable {
    private final LeaseStore leases;
    private final Clock clock;
    private TemporaryLease lease;

    BuildLease(LeaseStore leases, Clock clock) {
        this.leases = leases;
        this.clock = clock;
    }

    /** The lease's id for the namespaced stores, the lease made at the first call. */
    synchronized Optional<String> ref() throws IOException {
        if (lease == null) {
            lease = TemporaryLease.create(leases, "build", clock);
        }
        return lease.ref();
    }

    @Override
    public synchronized void close() throws IOException {
        if (lease != null) {
            lease.close();
        }
    }
}
