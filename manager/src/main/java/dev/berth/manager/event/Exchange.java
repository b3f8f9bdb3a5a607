package dev.berth.manager.event;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.events.TaskEventsProto;
import dev.berth.manager.filters.Filter;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The in-memory event exchange (containerd's {@code events/exchange}): every event published or forwarded is
 * offered, in the caller's thread, to each subscription whose filters select it. Offering never blocks; a
 * subscription whose buffer is full is dropped (see {@link Subscription}).
 */
public final class Exchange implements Publisher, Forwarder, Subscriber {
    /** Events buffered per subscriber before it is dropped, unless the constructor is given another number. */
    public static final int DEFAULT_CAPACITY = 1024;

    /** containerd's identifiers: alphanumerics separated by single {@code . _ -}, at most 76 characters. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*");
    private static final int MAX_IDENTIFIER = 76;

    private final Clock clock;
    private final int capacity;
    private final Map<String, Descriptor> eventTypes;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    /**
     * @param eventTypes the payload types whose fields filters may name ({@code event.container_id}), besides
     *     containerd's task events
     */
    public Exchange(Clock clock, int capacity, List<Descriptor> eventTypes) {
        if (capacity < 1) {
            throw new IllegalArgumentException("exchange capacity must be positive: " + capacity);
        }
        this.clock = clock;
        this.capacity = capacity;
        Map<String, Descriptor> types = new HashMap<>();
        TaskEventsProto.getDescriptor().getMessageTypes().forEach(d -> types.put(d.getFullName(), d));
        eventTypes.forEach(d -> types.put(d.getFullName(), d));
        this.eventTypes = Map.copyOf(types);
    }

    public Exchange() {
        this(Clock.systemUTC(), DEFAULT_CAPACITY, List.of());
    }

    @Override
    public void publish(String namespace, String topic, Message event) {
        // an Any is a client's event already encoded (the events service's Publish): it goes out as it came, as
        // containerd's typeurl.MarshalAny passes an Any through
        Any payload = event instanceof Any encoded ? encoded : Any.newBuilder()
                .setTypeUrl(event.getDescriptorForType().getFullName()).setValue(event.toByteString()).build();
        forward(new Envelope(clock.instant(), namespace, topic, payload));
    }

    @Override
    public void forward(Envelope envelope) {
        validate(envelope);
        EnvelopeFields fields = new EnvelopeFields(envelope, eventTypes);
        for (Subscription s : subscriptions) {
            if (s.selects(fields) && !s.offer(envelope)) {
                subscriptions.remove(s);
            }
        }
    }

    @Override
    public Subscription subscribe(List<String> filters) {
        Filter filter = Filter.parseAll(filters);
        Subscription subscription = new Subscription(filter, capacity, subscriptions::remove);
        subscriptions.add(subscription);
        return subscription;
    }

    /** How many subscriptions are open (dropped and closed ones are not). */
    public int subscribers() {
        return subscriptions.size();
    }

    private static void validate(Envelope envelope) {
        String what = "publish " + envelope.topic() + " in namespace " + envelope.namespace();
        if (!isIdentifier(envelope.namespace())) {
            throw BerthException.invalidArgument(what + ": invalid namespace");
        }
        String topic = envelope.topic();
        if (!topic.startsWith("/") || topic.length() == 1) {
            throw BerthException.invalidArgument(what + ": topic must be a path such as /tasks/exit");
        }
        for (String part : topic.substring(1).split("/", -1)) {
            if (!isIdentifier(part)) {
                throw BerthException.invalidArgument(what + ": invalid topic component \"" + part + "\"");
            }
        }
    }

    private static boolean isIdentifier(String s) {
        return s.length() <= MAX_IDENTIFIER && IDENTIFIER.matcher(s).matches();
    }
}
