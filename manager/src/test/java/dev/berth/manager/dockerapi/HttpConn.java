package dev.berth.manager.dockerapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A byte-level HTTP/1.1 client on a unix socket, so the tests see exactly what goes over the wire. */
final class HttpConn implements AutoCloseable {

    record Head(int status, String reason, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final SocketChannel ch;
    private final InputStream in;
    private final OutputStream out;

    HttpConn(Path socket) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        in = Channels.newInputStream(ch);
        out = Channels.newOutputStream(ch);
    }

    void send(String method, String path, String extraHeaders, byte[] body) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\n" + extraHeaders
                + (body.length > 0 || method.equals("POST") ? "Content-Length: " + body.length + "\r\n" : "")
                + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void shutdownOutput() throws IOException {
        ch.shutdownOutput();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    Head head() throws IOException {
        String status = line();
        String[] parts = status.split(" ", 3);
        Map<String, String> headers = new HashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
        }
        return new Head(Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "", headers);
    }

    /** The body after {@code h}: chunked, by length, or none. */
    byte[] body(Head h) throws IOException {
        if ("chunked".equals(h.header("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int n = chunkSize(); n > 0; n = chunkSize()) {
                b.write(in.readNBytes(n));
                line();
            }
            line();
            return b.toByteArray();
        }
        String len = h.header("content-length");
        return len == null ? new byte[0] : in.readNBytes(Integer.parseInt(len));
    }

    /** One chunk of a chunked body (empty at its end). */
    byte[] chunk() throws IOException {
        int n = chunkSize();
        if (n == 0) {
            line();
            return new byte[0];
        }
        byte[] b = in.readNBytes(n);
        line();
        return b;
    }

    private int chunkSize() throws IOException {
        return Integer.parseInt(line().strip(), 16);
    }

    byte[] readExactly(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Everything until the server closes. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
