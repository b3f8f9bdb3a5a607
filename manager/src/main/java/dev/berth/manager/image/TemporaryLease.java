package dev.berth.manager.image;

import dev.berth.manager.metadata.GcLabels;
import dev.berth.manager.metadata.LeaseStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The lease a pull, an import or a commit writes under (containerd's client {@code WithLease}), named
 * {@code <flow>-<epoch millis>-<8 hex digits>} and deleted when closed: on success the image record then holds what
 * the flow wrote; on failure the collection that the deletion triggers removes it. It expires by itself after
 * {@link #EXPIRY} in case berthd dies mid-way. Used with try-with-resources, a failed deletion after a failed flow is
 * suppressed into the flow's failure, which is the news.
 */
public final class TemporaryLease implements AutoCloseable {

    /** containerd's client uses 24 hours too. */
    public static final Duration EXPIRY = Duration.ofHours(24);

    private final LeaseStore leases;
    private final String id;

    private TemporaryLease(LeaseStore leases, String id) {
        this.leases = leases;
        this.id = id;
    }

    /** Creates the lease of one {@code flow} ({@code pull}, {@code import}, {@code commit}). */
    public static TemporaryLease create(LeaseStore leases, String flow, Clock clock) throws IOException {
        String id = flow + "-" + clock.millis() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        leases.create(id, Map.of(GcLabels.EXPIRE, clock.instant().plus(EXPIRY).toString()));
        return new TemporaryLease(leases, id);
    }

    public String id() {
        return id;
    }

    /** The lease as the namespaced stores take it. */
    public Optional<String> ref() {
        return Optional.of(id);
    }

    @Override
    public void close() throws IOException {
        leases.delete(id);
    }
}
