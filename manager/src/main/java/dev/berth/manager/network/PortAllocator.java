package dev.berth.manager.network;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * docker's port allocator: which host ports berthd has published, and a free one on request from docker's
 * ephemeral range 49153–60999. A port is also tried with a bind in the caller's network namespace, so one a host
 * process holds is refused, as docker-proxy's bind would fail. {@code 0.0.0.0} conflicts with every address.
 */
final class PortAllocator {

    static final int FIRST_EPHEMERAL = 49153;
    static final int LAST_EPHEMERAL = 60999;

    /** One published port. */
    record Key(String proto, String hostIp, int port) {
    }

    private final Set<Key> allocated = new HashSet<>();
    private int next = FIRST_EPHEMERAL;

    /** Marks a port as published (berthd's restart rebuilds the set from the endpoints). */
    synchronized void restore(Key key) {
        allocated.add(key);
    }

    /** Allocates {@code port} (0: a free one); docker's errors if it is taken. */
    synchronized Key allocate(String proto, String hostIp, int port) {
        String ip = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        if (port != 0) {
            Key key = new Key(proto, ip, port);
            if (conflicts(key)) {
                throw BerthException.alreadyExists("Bind for " + ip + ":" + port
                        + " failed: port is already allocated");
            }
            if (!bindable(key)) {
                throw BerthException.alreadyExists("Error starting userland proxy: listen " + proto + "4 " + ip
                        + ":" + port + ": bind: address already in use");
            }
            allocated.add(key);
            return key;
        }
        int span = LAST_EPHEMERAL - FIRST_EPHEMERAL + 1;
        for (int i = 0; i < span; i++) {
            int candidate = FIRST_EPHEMERAL + (next - FIRST_EPHEMERAL + i) % span;
            Key key = new Key(proto, ip, candidate);
            if (!conflicts(key) && bindable(key)) {
                allocated.add(key);
                next = candidate + 1 > LAST_EPHEMERAL ? FIRST_EPHEMERAL : candidate + 1;
                return key;
            }
        }
        throw BerthException.unavailable("allocate a host port for " + proto + " on " + ip
                + ": all ports are allocated");
    }

    synchronized void release(Key key) {
        allocated.remove(key);
    }

    private boolean conflicts(Key key) {
        for (Key k : allocated) {
            if (k.port() == key.port() && k.proto().equals(key.proto()) && (k.hostIp().equals(key.hostIp())
                    || k.hostIp().equals("0.0.0.0") || key.hostIp().equals("0.0.0.0"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean bindable(Key key) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(key.hostIp()), key.port());
            if (key.proto().equals("udp")) {
                try (DatagramSocket s = new DatagramSocket(address)) {
                    return s.isBound();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(address);
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }
}
