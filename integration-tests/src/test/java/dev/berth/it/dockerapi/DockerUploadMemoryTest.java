package dev.berth.it.dockerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.testsupport.BusyboxImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Uploads through the Docker API are streamed, not held: a berthd whose heap is bounded at 96 MB (the launcher's
 * 512 MB overridden with {@code _JAVA_OPTIONS}; Netty's direct memory is bounded by the same figure) takes a
 * 200 MB {@code docker cp} into a container, and an upload the client cuts short leaves nothing behind: no file in
 * the container, no image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerUploadMemoryTest {

    private static final long BIG = 200L << 20;

    private DockerCliFixture f;
    private DockerCli docker;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        f = DockerCliFixture.start("dupload-", Map.of("_JAVA_OPTIONS", "-Xmx96m"));
        docker = f.docker;
    }

    @AfterAll
    void stop() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    @AfterEach
    void clean() {
        f.removeContainersAndVolumes();
    }

    @Test
    void copyOf200MegabytesIntoAContainer_fitsA96MegabyteHeap() throws IOException {
        docker.run("run", "-d", "--name", "dupload-big", "busybox", "sleep", "300").assertSuccess();
        Path file = f.dir.resolve("big.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < BIG / block.length; i++) {
                Arrays.fill(block, (byte) i);
                raf.write(block);
            }
        }
        try {
            docker.run("cp", file.toString(), "dupload-big:/big.bin").assertSuccess();
        } finally {
            Files.delete(file);
        }
        assertEquals(Long.toString(BIG), docker.run("exec", "dupload-big", "stat", "-c", "%s", "/big.bin")
                .assertSuccess().stdout().strip());
        assertTrue(f.berthd.log().isEmpty() || !f.berthd.log().contains("OutOfMemoryError"));
    }

    @Test
    void archiveCutShort_writesNothingIntoTheContainer() throws IOException {
        docker.run("run", "-d", "--name", "dupload-cut", "busybox", "sleep", "300").assertSuccess();
        byte[] tarStart = tarHeader("cut.bin", 64L << 20);
        cutShort("PUT /containers/dupload-cut/archive?path=/tmp", (64L << 20) + 1024, tarStart, 8 << 20);
        CliResult ls = docker.run("exec", "dupload-cut", "ls", "/tmp/cut.bin");
        assertFalse(ls.succeeded(), ls.toString());
        assertEquals("alive", docker.run("exec", "dupload-cut", "echo", "alive").assertSuccess().stdout().strip());
    }

    @Test
    void loadCutShort_recordsNoImage() throws IOException {
        Path archive = f.dir.resolve("cut.tar");
        BusyboxImage.writeArchive("dupload/cut:1", archive);
        byte[] whole = Files.readAllBytes(archive);
        cutShort("POST /images/load", whole.length, Arrays.copyOf(whole, whole.length / 2), 0);
        assertFalse(DockerCliFixture.lines(docker.run("images", "--format", "{{.Repository}}:{{.Tag}}")
                .assertSuccess().stdout()).contains("dupload/cut:1"));
    }

    /**
     * Sends {@code requestLine} declaring {@code length} bytes, then {@code start} and {@code zeros} zero bytes
     * (together fewer), then closes the connection.
     */
    private void cutShort(String requestLine, long length, byte[] start, int zeros) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(f.socket()));
            OutputStream out = Channels.newOutputStream(ch);
            out.write((requestLine + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/x-tar\r\n"
                    + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(start);
            out.write(new byte[zeros]);
            out.flush();
        }
        // the connection is gone: the next call sees berthd after it handled the cut
        docker.run("version").assertSuccess();
    }

    /** A ustar header for a regular file of {@code size} bytes. */
    private static byte[] tarHeader(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o\0", size));
        put(h, 136, "00000000000\0");
        h[156] = '0';
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o\0 ", sum));
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
