package dev.berth.manager.event;

import com.google.protobuf.Any;
import java.time.Instant;
import java.util.Objects;

/**
 * One event as subscribers receive it (containerd's {@code events.Envelope}).
 *
 * @param event the payload; its type URL is the message's full name, as containerd registers events
 *     ({@code containerd.events.TaskExit})
 */
public record Envelope(Instant timestamp, String namespace, String topic, Any event) {
    public Envelope {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(event, "event");
    }
}
