package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.EventsRequest;
import dev.berth.api.services.version.v1.VersionResponse;
import java.util.stream.Stream;

/** berthd itself: docker's events, disk usage and info, and the daemon's version. */
public final class Daemon {
    private final Stubs stubs;

    Daemon(Stubs stubs) {
        this.stubs = stubs;
    }

    /**
     * docker's events ({@code {"Type","Action","Actor":{"ID","Attributes"},"time","timeNano"}}) of the
     * namespace as they happen, the recent ones first when {@code since} is given; close the stream to stop.
     */
    public Stream<JsonNode> events(Options.Events options) {
        EventsRequest.Builder b = EventsRequest.newBuilder().putAllFilters(Calls.filters(options.filters()));
        options.since().ifPresent(t -> b.setSince(Containers.timestamp(t)));
        options.until().ifPresent(t -> b.setUntil(Containers.timestamp(t)));
        return Calls.stream(() -> stubs.system().events(b.build()), Calls::json);
    }

    /** docker's {@code /system/df}: images, containers and volumes with their sizes. */
    public JsonNode df() {
        return Calls.json(Calls.call(() -> stubs.system().df(Empty.getDefaultInstance())));
    }

    /** docker's {@code /info} fields berthd knows. */
    public JsonNode info() {
        return Calls.json(Calls.call(() -> stubs.system().info(Empty.getDefaultInstance())));
    }

    public Results.Version version() {
        VersionResponse v = Calls.call(() -> stubs.version().version(com.google.protobuf.Empty.getDefaultInstance()));
        return new Results.Version(v.getVersion(), v.getRevision());
    }
}
