package dev.berth.it.dockerapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testsupport.TarWriter;
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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The Docker API's hijacked streams and cp, spoken byte for byte over the socket as docker's CLI does: the
 * client's half-close is the container's end-of-file, {@code detachKeys} end an attach and leave the container
 * running, and {@code PUT /archive?copyUIDGID=1} gives the files the container's user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120) // a stream that never ends (an attach not detached) fails instead of hanging
class DockerApiStdioTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerCliFixture fixture;
    private Path socket;

    @BeforeAll
    void startDaemon() throws IOException, InterruptedException {
        fixture = DockerCliFixture.start("dapi-", Map.of());
        socket = fixture.socket();
    }

    @AfterAll
    void stopDaemon() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void attach_halfCloseOfTheHijackedConnection_isTheContainersEndOfFile() throws Exception {
        String id = create("halfclose", "{\"Image\":\"busybox\",\"Cmd\":[\"cat\"],\"OpenStdin\":true,"
                + "\"StdinOnce\":true,\"AttachStdin\":true,\"AttachStdout\":true}");
        try (SocketChannel ch = hijack("/containers/" + id + "/attach?stream=1&stdin=1&stdout=1")) {
            assertEquals(204, request("POST", "/containers/" + id + "/start", null).status);
            Channels.newOutputStream(ch).write("hi\n".getBytes(StandardCharsets.UTF_8));
            ch.shutdownOutput();
            byte[] frames = Channels.newInputStream(ch).readAllBytes();
            assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 3, 'h', 'i', '\n'}, frames,
                    "one stdout frame, then the connection ends with cat");
        }
        JsonNode exit = JSON.readTree(request("POST", "/containers/" + id + "/wait", null).body);
        assertEquals(0, exit.path("StatusCode").asInt(), exit.toString());
        request("DELETE", "/containers/" + id + "?force=1", null);
    }

    @Test
    void attach_detachKeys_closeTheConnectionAndTheContainerRunsOn() throws Exception {
        String id = create("detachapi", "{\"Image\":\"busybox\",\"Cmd\":[\"cat\"],\"Tty\":true,\"OpenStdin\":true}");
        assertEquals(204, request("POST", "/containers/" + id + "/start", null).status);
        try (SocketChannel ch = hijack("/containers/" + id + "/attach?stream=1&stdin=1&stdout=1&detachKeys=ctrl-a,b")) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(new byte[] {1});
            out.write(new byte[] {'b'});
            Channels.newInputStream(ch).readAllBytes(); // ends when berthd closes the connection
        }
        JsonNode state = JSON.readTree(request("GET", "/containers/" + id + "/json", null).body).path("State");
        assertTrue(state.path("Running").asBoolean(), state.toString());
        request("DELETE", "/containers/" + id + "?force=1", null);
    }

    @Test
    void archivePut_copyUIDGID_givesTheFilesTheContainersUser() throws Exception {
        String id = create("cpowner", "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"User\":\"nobody\"}");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(tar)) {
            w.file("owned.txt", 0644, "x\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(200, request("PUT", "/containers/" + id + "/archive?path=/tmp&copyUIDGID=1",
                tar.toByteArray()).status);
        assertEquals("65534:65534", owner(id, "/tmp/owned.txt"));
        assertEquals(200, request("PUT", "/containers/" + id + "/archive?path=/root", tar.toByteArray()).status);
        assertEquals("0:0", owner(id, "/root/owned.txt"), "without copyUIDGID the archive's owner stays");
        request("DELETE", "/containers/" + id + "?force=1", null);
    }

    @Test
    void archivePut_noOverwriteDirNonDir_refusesAFileOverADirectory() throws Exception {
        String id = create("cpdir", "{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(tar)) {
            w.file("tmp", 0644, "not a directory\n".getBytes(StandardCharsets.UTF_8));
        }
        Response refused = request("PUT", "/containers/" + id + "/archive?path=/&noOverwriteDirNonDir=1",
                tar.toByteArray());
        assertEquals(400, refused.status, refused.text());
        assertTrue(refused.text().contains("cannot overwrite directory"), refused.text());
        assertEquals(200, request("PUT", "/containers/" + id + "/archive?path=/", tar.toByteArray()).status,
                "docker replaces it without the option");
        request("DELETE", "/containers/" + id + "?force=1", null);
    }

    /** uid:gid of the first entry of the archive GET answers (the tar header's octal fields). */
    private String owner(String id, String path) throws IOException {
        Response r = request("GET", "/containers/" + id + "/archive?path=" + path, null);
        assertEquals(200, r.status, r.text());
        return octal(r.body, 108) + ":" + octal(r.body, 116);
    }

    private static long octal(byte[] header, int off) {
        String s = new String(header, off, 8, StandardCharsets.US_ASCII).replace("\0", "").trim();
        return Long.parseLong(s, 8);
    }

    private String create(String name, String config) throws IOException {
        Response r = request("POST", "/containers/create?name=" + name, config.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.status, r.text());
        return JSON.readTree(r.body).path("Id").asText();
    }

    private record Response(int status, byte[] body) {
        String text() {
            return status + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    private SocketChannel open() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    /** One request on a connection of its own ({@code Connection: close}): the status and the (de-chunked) body. */
    private Response request(String method, String path, byte[] body) throws IOException {
        try (SocketChannel ch = open()) {
            OutputStream out = Channels.newOutputStream(ch);
            String head = method + " /v1.41" + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Type: application/octet-stream\r\nContent-Length: " + body.length
                    + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            InputStream in = Channels.newInputStream(ch);
            String[] headers = readHead(in).split("\r\n");
            int status = Integer.parseInt(headers[0].split(" ")[1]);
            boolean chunked = Stream.of(headers).anyMatch(h -> h.toLowerCase().startsWith("transfer-encoding:")
                    && h.toLowerCase().contains("chunked"));
            byte[] rest = in.readAllBytes();
            return new Response(status, chunked ? dechunk(rest) : rest);
        }
    }

    /** Opens a hijacked attach as docker's CLI does ({@code Upgrade: tcp}); the connection after the 101. */
    private SocketChannel hijack(String path) throws IOException {
        SocketChannel ch = open();
        String head = "POST /v1.41" + path + " HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                + "Content-Length: 0\r\n\r\n";
        Channels.newOutputStream(ch).write(head.getBytes(StandardCharsets.US_ASCII));
        String answer = readHead(Channels.newInputStream(ch));
        assertTrue(answer.startsWith("HTTP/1.1 101"), answer);
        return ch;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] dechunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < data.length) {
            int eol = i;
            while (data[eol] != '\r') {
                eol++;
            }
            int size = Integer.parseInt(new String(data, i, eol - i, StandardCharsets.US_ASCII).split(";")[0].trim(),
                    16);
            if (size == 0) {
                break;
            }
            out.write(data, eol + 2, size);
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
