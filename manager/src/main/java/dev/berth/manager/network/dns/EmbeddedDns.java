package dev.berth.manager.network.dns;

import dev.berth.log.Log;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded DNS of every user network: one {@link DnsResponder} per network on its gateway, started when the
 * first container attaches (the bridge plugin has then put the gateway address on the bridge), and the shared
 * {@link DnsNames}. Upstreams come from the host's resolv.conf with 127.x and ::1 left out, as docker does, and
 * only when {@code upstream} is on.
 */
public final class EmbeddedDns implements AutoCloseable {

    private static final Log LOG = Log.of(EmbeddedDns.class);

    private final DnsNames names = new DnsNames();
    private final Map<String, DnsResponder> responders = new HashMap<>();
    private final List<InetSocketAddress> upstreams;
    private final int port;

    /** {@code port} is 53 for berthd; {@code upstream} off keeps every query on the machine. */
    public EmbeddedDns(boolean upstream, Path resolvConf, int port) {
        this.upstreams = upstream ? upstreams(resolvConf) : List.of();
        this.port = port;
    }

    public DnsNames names() {
        return names;
    }

    /** Serves {@code network} on {@code gateway} unless it is served already (binds in the caller's netns). */
    public synchronized void serve(String network, String gateway) {
        if (responders.containsKey(network)) {
            return;
        }
        try {
            responders.put(network, DnsResponder.start(network, names, InetAddress.getByName(gateway), port,
                    upstreams));
        } catch (IOException e) {
            LOG.warn("embedded dns not started", "network", network, "gateway", gateway, "error", e.getMessage());
        }
    }

    /** Stops serving {@code network}. */
    public synchronized void stop(String network) {
        DnsResponder r = responders.remove(network);
        if (r != null) {
            r.close();
        }
    }

    @Override
    public synchronized void close() {
        responders.values().forEach(DnsResponder::close);
        responders.clear();
    }

    /** The nameservers of a resolv.conf that a container can reach: no loopback. */
    static List<InetSocketAddress> upstreams(Path resolvConf) {
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] w = line.strip().split("\\s+");
                if (w.length >= 2 && w[0].equals("nameserver") && !w[1].startsWith("127.") && !w[1].equals("::1")) {
                    out.add(new InetSocketAddress(w[1], 53));
                }
            }
        } catch (IOException e) {
            LOG.warn("read upstream dns servers", "file", resolvConf, "error", e.getMessage());
        }
        return out;
    }
}
