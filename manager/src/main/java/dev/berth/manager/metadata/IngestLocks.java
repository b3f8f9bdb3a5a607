package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The namespaced ingest refs that have an open writer (containerd's {@code tryLock} of its local store, held here
 * on the namespace's ref because a <em>shared</em> writer has no backend ingest whose lock would keep a second
 * writer of the same ref out). A second writer is UNAVAILABLE "ref … locked"; clients wait and retry, as
 * containerd's {@code content.OpenWriter} does, and then find the blob committed (ALREADY_EXISTS). In memory: one
 * berthd owns the root.
 */
final class IngestLocks {

    /** A held lock; releasing twice is harmless. */
    static final class Held {
        private final Runnable release;
        private final AtomicBoolean released = new AtomicBoolean();

        private Held(Runnable release) {
            this.release = release;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                release.run();
            }
        }
    }

    private final Set<String> held = ConcurrentHashMap.newKeySet();

    /** Locks {@code ref} of {@code namespace}; UNAVAILABLE if a writer (or an abort) holds it. */
    Held lock(String namespace, String ref) {
        String key = namespace + "\u0000" + ref;
        if (!held.add(key)) {
            throw BerthException.unavailable("ref " + ref + " locked");
        }
        return new Held(() -> held.remove(key));
    }
}
