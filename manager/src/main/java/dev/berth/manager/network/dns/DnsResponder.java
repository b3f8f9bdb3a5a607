package dev.berth.manager.network.dns;

import dev.berth.log.Log;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * One user network's embedded DNS (docker's 127.0.0.11, aardvark-dns): UDP and TCP on the gateway's port 53,
 * answering A queries for the names {@link DnsNames} knows on this network; other names go to the upstream
 * servers only if there are any (berthd passes none when upstream forwarding is off: those names are NXDOMAIN).
 * The sockets are bound by the caller's thread, so they live in its network namespace; two daemon threads serve.
 */
public final class DnsResponder implements AutoCloseable {

    private static final Log LOG = Log.of(DnsResponder.class);
    private static final long TTL = 600;

    private final String network;
    private final DnsNames names;
    private final List<InetSocketAddress> upstreams;
    private final DatagramSocket udp;
    private final ServerSocket tcp;

    private DnsResponder(String network, DnsNames names, List<InetSocketAddress> upstreams, DatagramSocket udp,
                         ServerSocket tcp) {
        this.network = network;
        this.names = names;
        this.upstreams = List.copyOf(upstreams);
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Binds {@code address}:{@code port} (udp and tcp) in the calling thread's network namespace and serves. */
    public static DnsResponder start(String network, DnsNames names, InetAddress address, int port,
                                     List<InetSocketAddress> upstreams) throws IOException {
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port));
        ServerSocket tcp;
        try {
            tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            udp.close();
            throw e;
        }
        DnsResponder r = new DnsResponder(network, names, upstreams, udp, tcp);
        Thread.ofPlatform().daemon().name("dns-udp-" + address.getHostAddress()).start(r::serveUdp);
        Thread.ofPlatform().daemon().name("dns-tcp-" + address.getHostAddress()).start(r::serveTcp);
        return r;
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
                byte[] query = java.util.Arrays.copyOf(p.getData(), p.getLength());
                Optional<byte[]> answer = answer(query, 512);
                if (answer.isPresent()) {
                    udp.send(new DatagramPacket(answer.get(), answer.get().length, p.getSocketAddress()));
                }
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                LOG.debug("dns udp query failed", "network", network, "error", e.getMessage());
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                s.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                Optional<byte[]> answer = answer(query, 65535);
                if (answer.isPresent()) {
                    out.writeShort(answer.get().length);
                    out.write(answer.get());
                    out.flush();
                }
            } catch (SocketException e) {
                if (tcp.isClosed()) {
                    return;
                }
            } catch (IOException e) {
                LOG.debug("dns tcp query failed", "network", network, "error", e.getMessage());
            }
        }
    }

    /** The response to one query; empty for what cannot be parsed (dropped, as a resolver would). */
    Optional<byte[]> answer(byte[] wire, int maxLength) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return Optional.empty();
        }
        Record question = query.getQuestion();
        if (question == null) {
            return Optional.empty();
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        List<String> known = names.lookup(network, name.toString());
        if (!known.isEmpty()) {
            if (question.getType() == Type.A || question.getType() == Type.ANY) {
                for (String a : known) {
                    try {
                        response.addRecord(new ARecord(name, DClass.IN, TTL, InetAddress.getByName(a)),
                                Section.ANSWER);
                    } catch (IOException e) {
                        LOG.warn("dns: a registered address does not parse", "address", a);
                    }
                }
            }
            return Optional.of(response.toWire(maxLength));
        }
        for (InetSocketAddress upstream : upstreams) {
            try {
                SimpleResolver resolver = new SimpleResolver(upstream);
                resolver.setTimeout(Duration.ofSeconds(2));
                resolver.setTCP(maxLength > 512);
                return Optional.of(resolver.send(query).toWire(maxLength));
            } catch (IOException e) {
                LOG.debug("dns upstream failed", "upstream", upstream, "error", e.getMessage());
            }
        }
        response.getHeader().setRcode(upstreams.isEmpty() ? Rcode.NXDOMAIN : Rcode.SERVFAIL);
        return Optional.of(response.toWire(maxLength));
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.debug("dns close failed", "network", network, "error", e.getMessage());
        }
    }
}
