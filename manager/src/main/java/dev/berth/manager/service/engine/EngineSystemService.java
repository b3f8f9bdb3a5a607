package dev.berth.manager.service.engine;

import com.google.protobuf.Timestamp;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.services.engine.v1.EventsRequest;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.SystemGrpc;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.manager.engine.DiskUsage;
import dev.berth.manager.engine.DockerEvents;
import dev.berth.manager.engine.SystemInfo;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.RequestMetadata;
import dev.berth.model.EventMessage;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code berth.services.engine.v1.System}: docker's events of the call's namespace, docker's info and df. */
public final class EngineSystemService extends SystemGrpc.SystemImplBase {
    private static final long POLL_MILLIS = 200;

    private final DockerEvents events;
    private final SystemInfo info;
    private final DiskUsage usage;
    private final Clock clock;

    public EngineSystemService(DockerEvents events, SystemInfo info, DiskUsage usage, Clock clock) {
        this.events = events;
        this.info = info;
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public void df(Empty req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(usage.df(RequestMetadata.namespace("disk usage"))));
    }

    @Override
    public void info(Empty req, StreamObserver<JsonDocument> response) {
        Calls.unary(response, () -> Json.document(info.info(RequestMetadata.namespace("info"))));
    }

    @Override
    public void events(EventsRequest req, StreamObserver<JsonDocument> response) {
        ServerCallStreamObserver<JsonDocument> call = (ServerCallStreamObserver<JsonDocument>) response;
        Map<String, List<String>> filters = Json.filters(req.getFiltersMap());
        Instant until = req.hasUntil() ? instant(req.getUntil()) : null;
        try (DockerEvents.Subscription s = events.subscribe(RequestMetadata.namespace("events"),
                req.hasSince() ? instant(req.getSince()) : null)) {
            while (!call.isCancelled()) {
                EventMessage e = s.poll(POLL_MILLIS);
                if (e != null) {
                    if (until != null && e.timeNano() > until.getEpochSecond() * 1_000_000_000L + until.getNano()) {
                        break;
                    }
                    if (DockerEvents.matches(e, filters)) {
                        response.onNext(Json.document(e));
                    }
                } else if (until != null && clock.instant().isAfter(until)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        if (!call.isCancelled()) {
            response.onCompleted();
        }
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
