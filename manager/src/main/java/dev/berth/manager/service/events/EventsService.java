package dev.berth.manager.service.events;

import com.google.protobuf.Empty;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.errdefs.GrpcErrors;
import dev.berth.api.services.events.v1.EventsGrpc;
import dev.berth.api.services.events.v1.ForwardRequest;
import dev.berth.api.services.events.v1.PublishRequest;
import dev.berth.api.services.events.v1.SubscribeRequest;
import dev.berth.manager.event.Envelope;
import dev.berth.manager.event.Forwarder;
import dev.berth.manager.event.Publisher;
import dev.berth.manager.event.Subscriber;
import dev.berth.manager.event.Subscription;
import dev.berth.manager.service.Calls;
import dev.berth.manager.service.Protos;
import dev.berth.manager.service.RequestMetadata;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * {@code containerd.services.events.v1.Events}: a thin adapter over the event exchange's three roles.
 *
 * <p>A {@code Subscribe} stream holds its call's thread while it waits for events (berthd serves calls on virtual
 * threads, so that costs little). A cancelled call cancels its {@link Context} at once, even while the handler
 * blocks, and that closes the subscription, which wakes the waiting thread.
 */
public final class EventsService extends EventsGrpc.EventsImplBase {

    private final Publisher publisher;
    private final Forwarder forwarder;
    private final Subscriber subscriber;

    public EventsService(Publisher publisher, Forwarder forwarder, Subscriber subscriber) {
        this.publisher = publisher;
        this.forwarder = forwarder;
        this.subscriber = subscriber;
    }

    @Override
    public void publish(PublishRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            publisher.publish(RequestMetadata.namespace("publish " + req.getTopic()), req.getTopic(),
                    req.getEvent());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void forward(ForwardRequest req, StreamObserver<Empty> response) {
        Calls.unary(response, () -> {
            forwarder.forward(fromProto(req.getEnvelope()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void subscribe(SubscribeRequest req, StreamObserver<dev.berth.api.services.events.v1.Envelope> response) {
        ServerCallStreamObserver<dev.berth.api.services.events.v1.Envelope> call =
                (ServerCallStreamObserver<dev.berth.api.services.events.v1.Envelope>) response;
        Subscription subscription;
        try {
            subscription = subscriber.subscribe(req.getFiltersList());
        } catch (BerthException e) {
            response.onError(GrpcErrors.toStatusException(e));
            return;
        }
        // the handler below never returns while the call lives, so the serialized cancel handler would come too
        // late to wake it; the context's cancellation does not wait for the handler
        Context.current().addListener(cancelled -> subscription.close(), Runnable::run);
        call.setOnCancelHandler(subscription::close);
        try (subscription) {
            while (true) {
                response.onNext(toProto(subscription.next()));
            }
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.CANCELLED) {
                response.onError(GrpcErrors.toStatusException(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(io.grpc.Status.CANCELLED.withDescription("subscribe: interrupted").asException());
        }
    }

    static dev.berth.api.services.events.v1.Envelope toProto(Envelope e) {
        return dev.berth.api.services.events.v1.Envelope.newBuilder()
                .setTimestamp(Protos.timestamp(e.timestamp()))
                .setNamespace(e.namespace())
                .setTopic(e.topic())
                .setEvent(e.event())
                .build();
    }

    static Envelope fromProto(dev.berth.api.services.events.v1.Envelope e) {
        return new Envelope(Protos.instant(e.getTimestamp()), e.getNamespace(), e.getTopic(), e.getEvent());
    }
}
