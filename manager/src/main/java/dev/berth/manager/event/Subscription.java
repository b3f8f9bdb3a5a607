package dev.berth.manager.event;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.filters.Filter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The events one subscriber has yet to take, in publication order, in a buffer of fixed capacity.
 *
 * <p>Publishers never wait for a subscriber: when the buffer is full the subscription is dropped. The subscriber
 * still takes what was buffered, then {@link #next} fails with RESOURCE_EXHAUSTED, so it knows exactly where the
 * gap begins. After {@link #close}, {@link #next} fails with CANCELLED.
 */
public final class Subscription implements AutoCloseable {
    private enum State { OPEN, OVERFLOWED, CLOSED }

    private final Filter filter;
    private final int capacity;
    private final Consumer<Subscription> onEnd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Envelope> buffer = new ArrayDeque<>();
    private State state = State.OPEN;

    Subscription(Filter filter, int capacity, Consumer<Subscription> onEnd) {
        this.filter = filter;
        this.capacity = capacity;
        this.onEnd = onEnd;
    }

    boolean selects(EnvelopeFields fields) {
        return filter.matches(fields);
    }

    /** Buffers an event; false once the subscription has ended (now, if the buffer is full). */
    boolean offer(Envelope envelope) {
        lock.lock();
        try {
            if (state != State.OPEN) {
                return false;
            }
            if (buffer.size() >= capacity) {
                state = State.OVERFLOWED;
                changed.signalAll();
                return false;
            }
            buffer.add(envelope);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next event, waiting as long as it takes.
     *
     * @throws BerthException RESOURCE_EXHAUSTED once the buffered events are taken after the subscriber fell
     *     behind by more than the capacity; CANCELLED after {@link #close}
     */
    public Envelope next() throws InterruptedException {
        lock.lock();
        try {
            while (buffer.isEmpty()) {
                checkOpen();
                changed.await();
            }
            return buffer.remove();
        } finally {
            lock.unlock();
        }
    }

    /** The next event if one comes within {@code timeout}; fails as {@link #next} does. */
    public Optional<Envelope> poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (buffer.isEmpty()) {
                checkOpen();
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = changed.awaitNanos(nanos);
            }
            return Optional.of(buffer.remove());
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        switch (state) {
            case OVERFLOWED -> throw new BerthException(ErrorKind.RESOURCE_EXHAUSTED,
                    "subscription: subscriber fell more than " + capacity + " events behind and was dropped");
            case CLOSED -> throw new BerthException(ErrorKind.CANCELLED, "subscription: closed");
            case OPEN -> { }
        }
    }

    /** Ends the subscription: no more events are buffered and a waiting {@link #next} fails with CANCELLED. */
    @Override
    public void close() {
        lock.lock();
        try {
            state = State.CLOSED;
            buffer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onEnd.accept(this);
    }
}
