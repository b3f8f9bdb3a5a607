package dev.berth.client.transport;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A gRPC channel to a server on a unix socket over one HTTP/2 connection without TLS ({@link Connection}), for
 * short-lived clients: it loads no Netty, no name resolver, load balancer or service loader of grpc-core, only
 * grpc-api's types and the generated stubs, so that a CLI call costs a socket and a few frames. The connection is
 * made by the first call (or ahead of it, in the background: {@link #getState getState(true)}) and made again after
 * the server closed it. Listener callbacks run on the call options' executor (a blocking stub's) or on the
 * channel's own daemon threads.
 */
public final class UnixChannel extends ManagedChannel {
    private final Path socket;
    private final int maxInboundMessageSize;
    /** Written under this; read without it by {@link #getState}. */
    private volatile Connection connection;
    /** A connection is being made in the background ({@link #getState getState(true)}). */
    private final AtomicBoolean dialing = new AtomicBoolean();
    private ExecutorService callbacks;
    private ScheduledExecutorService timer;
    /** Written under this. */
    private volatile boolean shutdown;

    private UnixChannel(Path socket, int maxInboundMessageSize) {
        this.socket = socket;
        this.maxInboundMessageSize = maxInboundMessageSize;
    }

    /** A channel to the server on {@code socket}; nothing is connected until the first call. */
    public static UnixChannel of(Path socket, int maxInboundMessageSize) {
        return new UnixChannel(socket, maxInboundMessageSize);
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        return new UnixCall<>(this, method, options);
    }

    @Override
    public String authority() {
        return "localhost";
    }

    String address() {
        return "unix://" + socket;
    }

    int maxInboundMessageSize() {
        return maxInboundMessageSize;
    }

    /** The connection for a new call: the current one, or a new one where there is none or it went away. */
    synchronized Connection connection() throws IOException {
        if (shutdown) {
            throw new IOException("channel to " + address() + " is shut down");
        }
        if (connection == null || !connection.usable()) {
            if (connection != null) {
                connection.closeWhenIdle();
            }
            connection = Connection.open(socket);
        }
        return connection;
    }

    /**
     * gRPC's connectivity state of the channel. With {@code requestConnection}, an idle channel starts connecting on
     * a daemon thread and answers at once: the caller prepares its first call meanwhile, and that call waits for the
     * connection being made (a failure to connect is the call's to report: it connects again).
     */
    @Override
    public ConnectivityState getState(boolean requestConnection) {
        Connection c = connection;
        if (shutdown) { // not isShutdown(): a connection being made holds the lock
            return ConnectivityState.SHUTDOWN;
        }
        if (c != null && c.usable()) {
            return ConnectivityState.READY;
        }
        if (requestConnection && dialing.compareAndSet(false, true)) {
            // a class, not a lambda: the AOT cache holds classes, a lambda is spun at each start
            Thread.ofPlatform().daemon().name("berth-client-connect").start(new Runnable() {
                @Override
                public void run() {
                    try {
                        connection();
                    } catch (IOException e) {
                        // the first call connects again and reports the failure
                    } finally {
                        dialing.set(false);
                    }
                }
            });
            return ConnectivityState.CONNECTING;
        }
        return dialing.get() ? ConnectivityState.CONNECTING : ConnectivityState.IDLE;
    }

    synchronized ExecutorService callbackExecutor() {
        if (callbacks == null) {
            callbacks = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("berth-client-call-", 0)
                    .factory());
        }
        return callbacks;
    }

    synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                    .name("berth-client-deadline").factory());
        }
        return timer;
    }

    /** No new calls; the connection closes with the last of the calls already made. */
    @Override
    public synchronized ManagedChannel shutdown() {
        shutdown = true;
        if (connection != null) {
            connection.closeWhenIdle();
        }
        if (callbacks != null) {
            callbacks.shutdown();
        }
        if (timer != null) {
            timer.shutdown();
        }
        return this;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && (connection == null || !connection.usable() && connection.activeStreams() == 0)
                && (callbacks == null || callbacks.isTerminated());
    }

    /** Closes the connection: the calls still open fail UNAVAILABLE. */
    @Override
    public ManagedChannel shutdownNow() {
        Connection c;
        synchronized (this) {
            shutdown();
            c = connection;
        }
        if (c != null) {
            c.close(); // the open calls fail UNAVAILABLE: their listeners' onClose is queued on the callbacks
        }
        synchronized (this) {
            if (callbacks != null) {
                callbacks.shutdown(); // runs what is queued (those onClose), takes nothing new
            }
            if (timer != null) {
                timer.shutdownNow();
            }
        }
        return this;
    }

    @Override
    public boolean awaitTermination(long time, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(time);
        ExecutorService c;
        synchronized (this) {
            c = callbacks;
        }
        if (c != null && !c.awaitTermination(time, unit)) {
            return false;
        }
        while (!isTerminated()) {
            if (System.nanoTime() >= end) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
