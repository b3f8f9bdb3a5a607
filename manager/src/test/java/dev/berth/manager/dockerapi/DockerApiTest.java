package dev.berth.manager.dockerapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter's contract over a fake engine: routing (versioned and not), docker's status codes, and each of the
 * stream formats over raw bytes: multiplexed frames, raw terminal output, the hijack with and without
 * {@code Upgrade} and its half-close, wait's early headers, the pull's progress lines, keep-alive.
 */
class DockerApiTest {

    @TempDir
    Path dir;
    private FakeEngine engine;
    private Server server;
    private ManagedChannel channel;
    private DockerApi api;
    private Path socket;

    @BeforeEach
    void start() throws IOException {
        engine = new FakeEngine();
        String name = "dockerapi-" + UUID.randomUUID();
        server = InProcessServerBuilder.forName(name).addService(engine.containers).addService(engine.transfer)
                .build().start();
        channel = InProcessChannelBuilder.forName(name).build();
        socket = dir.resolve("docker.sock");
        api = DockerApi.serve(socket, channel, "default", new SystemFacts("6.1.0-test", "amd64", "host", dir, 1L << 30));
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        engine.releaseWait.countDown();
        api.close();
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private record Answer(HttpConn.Head head, String body) {
    }

    private Answer call(String method, String path, String body) throws IOException {
        try (HttpConn c = new HttpConn(socket)) {
            c.send(method, path, "", body.getBytes(StandardCharsets.UTF_8));
            HttpConn.Head h = c.head();
            return new Answer(h, method.equals("HEAD") ? "" : new String(c.body(h), StandardCharsets.UTF_8));
        }
    }

    @Test
    void pingAnswersDockersHeadersForGetAndHead() throws IOException {
        for (String method : new String[] {"GET", "HEAD"}) {
            Answer a = call(method, "/_ping", "");
            assertEquals(200, a.head.status());
            assertEquals("1.41", a.head.header("api-version"));
            assertEquals("linux", a.head.header("ostype"));
            assertEquals("1", a.head.header("builder-version"));
            assertEquals("false", a.head.header("docker-experimental"));
        }
        assertEquals("OK", call("GET", "/v1.41/_ping", "").body);
    }

    @Test
    void versionIsServedUnversionedAndUnderEachVersionFrom112() throws IOException {
        Answer a = call("GET", "/version", "");
        assertEquals(200, a.head.status());
        assertTrue(a.body.contains("\"Version\":\"20.10.24-berth\""), a.body);
        assertTrue(a.body.contains("\"ApiVersion\":\"1.41\""), a.body);
        assertTrue(a.body.contains("\"MinAPIVersion\":\"1.12\""), a.body);
        assertTrue(a.body.contains("\"KernelVersion\":\"6.1.0-test\""), a.body);
        assertEquals(200, call("GET", "/v1.24/version", "").head.status());
        assertEquals(200, call("GET", "/v1.44/version", "").head.status(), "served as 1.41");
        Answer tooOld = call("GET", "/v1.11/version", "");
        assertEquals(400, tooOld.head.status());
        assertTrue(tooOld.body.contains("Minimum supported API version is 1.12"), tooOld.body);
        assertEquals(400, call("GET", "/v2.0/version", "").head.status());
        Answer unknown = call("GET", "/v1.41/nothing/here", "");
        assertEquals(404, unknown.head.status());
        assertEquals("{\"message\":\"page not found\"}", unknown.body);
    }

    @Test
    void engineStatusesBecomeDockersCodesWithItsMessage() throws IOException {
        Answer noImage = call("POST", "/v1.41/containers/create", "{\"Image\":\"missing\"}");
        assertEquals(404, noImage.head.status());
        assertEquals("{\"message\":\"No such image: missing:latest\"}", noImage.body);
        assertEquals("application/json", noImage.head.header("content-type"));
        assertEquals(409, call("POST", "/containers/create?name=taken", "{\"Image\":\"busybox\"}").head.status());
        assertEquals(400, call("POST", "/containers/create?name=bad%20name", "{\"Image\":\"busybox\"}")
                .head.status());
        assertEquals(404, call("POST", "/containers/nope/start", "").head.status());
        assertEquals(304, call("POST", "/containers/plain/start", "").head.status());
        assertEquals(204, call("POST", "/containers/term/start", "").head.status());
        assertEquals(304, call("POST", "/containers/term/stop?t=3", "").head.status());
        assertEquals(204, call("POST", "/containers/plain/stop?t=3", "").head.status());
        assertTrue(engine.calls.contains("stop plain t=3"), engine.calls.toString());
        assertEquals(501, call("GET", "/images/search?term=x", "").head.status());
    }

    @Test
    void createSplitsHostConfigOutOfTheBodyAndAnswers201() throws IOException {
        Answer a = call("POST", "/containers/create?name=web",
                "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"AutoRemove\":true}}");
        assertEquals(201, a.head.status());
        assertEquals("{\"Id\":\"c0ffee\",\"Warnings\":[]}", a.body);
        assertEquals("create web {\"Image\":\"busybox\",\"Cmd\":[\"true\"]} host={\"AutoRemove\":true}",
                engine.calls.getFirst());
    }

    @Test
    void filtersArriveInBothShapesClientsSend() throws IOException {
        call("GET", "/containers/json?all=1&filters=%7B%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%7D", "");
        call("GET", "/containers/json?filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D", "");
        assertEquals("list all=true filters=[label:[a=b]]", engine.calls.get(0));
        assertEquals("list all=false filters=[label:[a=b]]", engine.calls.get(1));
    }

    @Test
    void logsWithoutTerminalAreMultiplexedFrames() throws IOException {
        Answer a = call("GET", "/containers/plain/logs?stdout=1&stderr=1", "");
        assertEquals(200, a.head.status());
        byte[] want = concat(frame(1, "out\n"), frame(2, "err\n"));
        assertArrayEquals(want, a.body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void logsWithTerminalAreRaw() throws IOException {
        Answer a = call("GET", "/containers/term/logs?stdout=1&stderr=1", "");
        assertEquals("out\nerr\n", a.body);
    }

    @Test
    void attachWithUpgradeIsHijackedAndHalfCloseKeepsOutputFlowing() throws IOException {
        try (HttpConn c = new HttpConn(socket)) {
            c.send("POST", "/v1.41/containers/plain/attach?stream=1&stdin=1&stdout=1&stderr=1",
                    "Connection: Upgrade\r\nUpgrade: tcp\r\n", new byte[0]);
            HttpConn.Head h = c.head();
            assertEquals(101, h.status());
            assertEquals("UPGRADED", h.reason());
            assertEquals("tcp", h.header("upgrade"));
            assertEquals(null, h.header("transfer-encoding"));
            assertArrayEquals(frame(1, "hello\n"), c.readExactly(8 + 6));
            c.write("ping\n");
            assertArrayEquals(frame(1, "ping\n"), c.readExactly(8 + 5));
            c.shutdownOutput(); // stdin ends; the output must keep coming until the engine ends it
            assertArrayEquals(frame(2, "bye\n"), c.readToEnd());
        }
    }

    @Test
    void attachWithoutUpgradeAnswers200WithTheSameRawStream() throws IOException {
        try (HttpConn c = new HttpConn(socket)) {
            c.send("POST", "/containers/term/attach?stream=1&stdin=1&stdout=1", "", new byte[0]);
            HttpConn.Head h = c.head();
            assertEquals(200, h.status());
            assertEquals("application/vnd.docker.raw-stream", h.header("content-type"));
            assertEquals(null, h.header("transfer-encoding"));
            assertEquals(null, h.header("content-length"));
            assertEquals("hello\n", new String(c.readExactly(6), StandardCharsets.UTF_8));
            c.shutdownOutput();
            assertEquals("bye\n", new String(c.readToEnd(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void waitSendsItsHeadersBeforeTheContainerExits() throws IOException {
        try (HttpConn c = new HttpConn(socket)) {
            c.send("POST", "/containers/plain/wait?condition=next-exit", "", new byte[0]);
            HttpConn.Head h = c.head(); // would block here if the headers waited for the exit
            assertEquals(200, h.status());
            engine.releaseWait.countDown();
            assertEquals("{\"StatusCode\":7,\"Error\":null}\n", new String(c.body(h), StandardCharsets.UTF_8));
        }
    }

    @Test
    void pullAnswersDockersProgressLinesEndingWithItsStatus() throws IOException {
        Answer a = call("POST", "/images/create?fromImage=busybox&tag=latest", "");
        assertEquals(200, a.head.status());
        String[] lines = a.body.split("\n");
        assertEquals("{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}", lines[0]);
        assertTrue(a.body.contains("{\"status\":\"Downloading\",\"progressDetail\":{\"current\":5,\"total\":10},"
                + "\"id\":\"abababababab\"}"), a.body);
        assertEquals("{\"status\":\"Status: Downloaded newer image for busybox:latest\"}", lines[lines.length - 1]);
        assertTrue(engine.calls.contains("pull busybox:latest"), engine.calls.toString());
    }

    @Test
    void keepAliveConnectionServesOneRequestAfterAnother() throws IOException {
        try (HttpConn c = new HttpConn(socket)) {
            for (int i = 0; i < 3; i++) {
                c.send("GET", "/_ping", "", new byte[0]);
                HttpConn.Head h = c.head();
                assertEquals(200, h.status());
                assertEquals("OK", new String(c.body(h), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void socketIsOnlyForOwnerAndGroup() throws IOException {
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket)));
    }

    static byte[] frame(int stream, String s) {
        byte[] p = s.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + p.length];
        f[0] = (byte) stream;
        f[7] = (byte) p.length;
        System.arraycopy(p, 0, f, 8, p.length);
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
