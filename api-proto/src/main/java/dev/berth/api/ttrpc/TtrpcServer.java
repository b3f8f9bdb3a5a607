package dev.berth.api.ttrpc;

import dev.berth.log.Log;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A ttrpc server: serves registered services on unix sockets, each connection read by one virtual thread and each
 * call run on a virtual thread of its own, which writes the response; so calls on one connection complete in any
 * order and a slow handler holds up no other call.
 *
 * <p>Lifecycle: construct with the services, then {@link #listen(Path)} on a socket path, {@link
 * #serve(ServerSocketChannel)} on a listening socket made elsewhere, or {@link #serve(SocketChannel)} one connection;
 * {@link #shutdown(Duration)} stops accepting, lets calls in flight finish within the grace period, and closes.
 */
public final class TtrpcServer implements AutoCloseable {
    private static final Log LOG = Log.of(TtrpcServer.class);
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final Dispatcher dispatcher;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("ttrpc-deadlines").factory());
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<ServerSocketChannel> listeners = new CopyOnWriteArrayList<>();
    private final List<Path> socketFiles = new CopyOnWriteArrayList<>();
    private volatile boolean shutDown;

    public TtrpcServer(List<TtrpcService> services) {
        this.dispatcher = new Dispatcher(services);
    }

    public TtrpcServer(TtrpcService... services) {
        this(List.of(services));
    }

    /** Creates a unix socket at {@code socketPath} and serves it; the socket file is removed on shutdown. */
    public void listen(Path socketPath) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            listener.close();
            throw new IOException("listen on ttrpc socket " + socketPath + ": " + e.getMessage(), e);
        }
        socketFiles.add(socketPath);
        serve(listener);
    }

    /** Accepts and serves connections on a listening socket, which the server then owns and closes. */
    public void serve(ServerSocketChannel listener) {
        checkOpen();
        listeners.add(listener);
        Thread.ofVirtual().name("ttrpc-accept").start(() -> acceptLoop(listener));
    }

    /** Serves one connected socket, which the server then owns and closes. */
    public void serve(SocketChannel connection) {
        if (shutDown) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.debug("close ttrpc connection", e);
            }
        }
        checkOpen();
        ServerConnection served = new ServerConnection(connection, dispatcher, timer, connections::remove);
        connections.add(served);
        served.start();
    }

    private void acceptLoop(ServerSocketChannel listener) {
        try (listener) {
            while (!shutDown) {
                serve(listener.accept());
            }
        } catch (AsynchronousCloseException e) {
            // closed by shutdown
        } catch (IOException e) {
            LOG.warn("accept on ttrpc socket", e);
        } catch (IllegalStateException e) {
            // shut down between accept and serve; the accepted connection is dropped
        }
    }

    /**
     * Stops accepting connections, waits up to {@code grace} for calls in flight, then closes every connection.
     * Safe to call more than once.
     */
    public void shutdown(Duration grace) {
        shutDown = true;
        Instant deadline = Instant.now().plus(grace);
        for (ServerSocketChannel listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                LOG.debug("close ttrpc listener", e);
            }
        }
        for (Path socket : socketFiles) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.warn("remove ttrpc socket", e, "path", socket);
            }
        }
        for (ServerConnection connection : connections) {
            connection.shutdown(deadline);
        }
        timer.shutdownNow();
    }

    /** {@link #shutdown(Duration)} with a grace period of 5 seconds. */
    @Override
    public void close() {
        shutdown(DEFAULT_GRACE);
    }

    private void checkOpen() {
        if (shutDown) {
            throw new IllegalStateException("serve ttrpc: server is shut down");
        }
    }
}
