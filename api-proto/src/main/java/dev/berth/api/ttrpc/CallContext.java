package dev.berth.api.ttrpc;

import java.time.Instant;
import java.util.Optional;

/**
 * What a server handler knows about the call it serves besides the payload.
 *
 * @param service the full service name, such as {@code containerd.task.v2.Task}
 * @param method the method name, such as {@code State}
 * @param metadata the request's metadata
 * @param deadline when the caller stops waiting, if it sent a timeout; past it the server answers
 *     DEADLINE_EXCEEDED and interrupts the handler
 */
public record CallContext(String service, String method, Metadata metadata, Optional<Instant> deadline) {

    /** The containerd namespace of the call, if the caller sent one. */
    public Optional<String> namespace() {
        return metadata.first(Metadata.CONTAINERD_NAMESPACE);
    }
}
