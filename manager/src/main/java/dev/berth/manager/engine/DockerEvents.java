package dev.berth.manager.engine;

import dev.berth.model.EventMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * docker's events of the engine (System.Events): published by the engine's own actions and by task exits, kept
 * for replay ({@code since}) in a bounded buffer as docker's events log, and streamed to subscribers.
 */
public final class DockerEvents {
    private static final int KEEP = 1024;

    private final Clock clock;
    private final Deque<Stamped> recent = new ArrayDeque<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    private record Stamped(String namespace, EventMessage event) {
    }

    public DockerEvents(Clock clock) {
        this.clock = clock;
    }

    /** A container event: attributes are the container's labels, its name and image, and {@code extra}. */
    void container(String namespace, String action, EngineContainer c, Map<String, String> extra) {
        Map<String, String> attrs = new java.util.TreeMap<>();
        if (c.config() != null && c.config().labels() != null) {
            attrs.putAll(c.config().labels());
        }
        attrs.put("image", c.imageName());
        attrs.put("name", c.name());
        attrs.putAll(extra);
        publish(namespace, "container", action, c.id(), c.imageName(), attrs);
    }

    /**
     * docker's volume {@code mount} (at a start: driver, container, destination, read/write, propagation) or
     * {@code unmount} (after the exit: driver, container) of each named or anonymous volume {@code c} mounts
     * (moby {@code setupMounts} and {@code UnmountVolumes}).
     */
    void volumes(String namespace, String action, EngineContainer c) {
        for (var m : c.mounts()) {
            if (!m.type().equals("volume")) {
                continue;
            }
            Map<String, String> attrs = new java.util.TreeMap<>();
            attrs.put("driver", "local");
            attrs.put("container", c.id());
            if (action.equals("mount")) {
                attrs.put("destination", m.destination());
                attrs.put("read/write", Boolean.toString(m.readWrite()));
                attrs.put("propagation", m.propagation());
            }
            publish(namespace, "volume", action, m.name(), null, attrs);
        }
    }

    /** Publishes an event of {@code type} (container, image, volume, network) about {@code id}. */
    public void publish(String namespace, String type, String action, String id, String from,
                        Map<String, String> attributes) {
        Instant now = clock.instant();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        boolean container = type.equals("container");
        EventMessage e = new EventMessage(container ? action : null, container ? id : null,
                container ? from : null, type, action, new EventMessage.Actor(id, attributes), "local",
                now.getEpochSecond(), nanos);
        synchronized (recent) {
            recent.addLast(new Stamped(namespace, e));
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
        for (Subscription s : subscriptions) {
            if (s.namespace.equals(namespace)) {
                s.queue.offer(e);
            }
        }
    }

    /** Subscribes to the namespace's events; those since {@code since} (if given) come first. */
    public Subscription subscribe(String namespace, Instant since) {
        Subscription s = new Subscription(namespace);
        synchronized (recent) {
            if (since != null) {
                for (Stamped st : recent) {
                    if (st.namespace.equals(namespace) && st.event.timeNano() >= since.getEpochSecond()
                            * 1_000_000_000L + since.getNano()) {
                        s.queue.offer(st.event);
                    }
                }
            }
            subscriptions.add(s);
        }
        return s;
    }

    /** The events of one subscriber, in publication order. */
    public final class Subscription implements AutoCloseable {
        private final String namespace;
        private final BlockingQueue<EventMessage> queue = new LinkedBlockingQueue<>();

        private Subscription(String namespace) {
            this.namespace = namespace;
        }

        /** The next event, or null after {@code timeoutMillis}. */
        public EventMessage poll(long timeoutMillis) throws InterruptedException {
            return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        /** What is buffered now, without waiting. */
        public List<EventMessage> drain() {
            List<EventMessage> out = new ArrayList<>();
            queue.drainTo(out);
            return out;
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    /** docker's event filters: type, event, container (id or name), image, label (key or key=value). */
    public static boolean matches(EventMessage e, Map<String, List<String>> filters) {
        for (var f : filters.entrySet()) {
            if (f.getValue().isEmpty()) {
                continue;
            }
            Map<String, String> attrs = e.actor().attributes() == null ? Map.of() : e.actor().attributes();
            // the values of one filter are alternatives, except labels: each one asked for must be there
            boolean label = f.getKey().equals("label");
            boolean ok = label;
            for (String v : f.getValue()) {
                boolean match = switch (f.getKey()) {
                    case "type" -> v.equals(e.type());
                    case "event" -> v.equals(e.action()) || e.action().startsWith(v + ":");
                    case "container" -> e.type().equals("container") && (e.actor().id().startsWith(v)
                            || v.equals(attrs.get("name")));
                    case "image" -> v.equals(attrs.get("image")) || v.equals(e.from());
                    case "volume" -> e.type().equals("volume") && v.equals(e.actor().id());
                    case "label" -> v.contains("=") ? v.substring(v.indexOf('=') + 1)
                            .equals(attrs.get(v.substring(0, v.indexOf('=')))) : attrs.containsKey(v);
                    default -> true;
                };
                ok = label ? ok && match : ok || match;
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
