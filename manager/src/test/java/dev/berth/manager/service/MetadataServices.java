package dev.berth.manager.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.event.Envelope;
import dev.berth.manager.event.Exchange;
import dev.berth.manager.event.Subscription;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.snapshot.overlay.OverlaySnapshotter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.function.Executable;

/**
 * What the metadata services' tests serve over: a real {@link MetadataDb} on the real content store and overlay
 * snapshotter in a temp dir, an {@link Exchange} with one subscription that records every event, and assertions on
 * both.
 */
public final class MetadataServices implements AutoCloseable {

    public final MetadataDb db;
    public final Exchange exchange = new Exchange();
    private final Subscription events = exchange.subscribe(List.of());

    public MetadataServices(Path dir) throws IOException {
        LocalContentStore content = LocalContentStore.open(dir.resolve("content"));
        OverlaySnapshotter overlay = OverlaySnapshotter.open(dir.resolve("overlayfs"));
        db = MetadataDb.open(dir.resolve("metadata.db"), content, Map.of("overlayfs", overlay));
    }

    /** The next event, which must have been published already, with {@code topic} in {@code namespace}. */
    public <M extends Message> M event(String namespace, String topic, Parser<M> parser)
            throws InterruptedException, InvalidProtocolBufferException {
        Optional<Envelope> next = events.poll(Duration.ZERO);
        assertTrue(next.isPresent(), "no event published, expected " + topic);
        assertEquals(topic, next.get().topic());
        assertEquals(namespace, next.get().namespace());
        return parser.parseFrom(next.get().event().getValue());
    }

    /** Asserts that no further event was published. */
    public void noMoreEvents() throws InterruptedException {
        Optional<Envelope> next = events.poll(Duration.ZERO);
        assertTrue(next.isEmpty(), () -> "unexpected event " + next.get().topic());
    }

    /** Asserts that {@code call} fails with {@code code}; returns the status's description. */
    public static String assertCode(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
        return e.getStatus().getDescription();
    }

    @Override
    public void close() throws IOException {
        events.close();
        db.close();
    }
}
