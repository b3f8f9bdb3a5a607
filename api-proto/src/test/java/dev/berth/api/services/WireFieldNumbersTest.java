package dev.berth.api.services;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.services.containers.v1.Container;
import dev.berth.api.services.content.v1.WriteAction;
import dev.berth.api.services.content.v1.WriteContentRequest;
import dev.berth.api.services.events.v1.Envelope;
import dev.berth.api.services.snapshots.v1.PrepareSnapshotRequest;
import dev.berth.api.services.tasks.v1.CreateTaskRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Parses bytes built by hand from containerd 1.6's field numbers, so a renumbered field fails here rather than
 * against a real client. Tag byte = field number << 3 | wire type (0 varint, 2 length-delimited).
 */
class WireFieldNumbersTest {

    @Test
    void writeContentRequest_fieldNumbers() throws InvalidProtocolBufferException {
        byte[] wire = new Wire()
                .varint(1, 1) // action = WRITE
                .string(2, "ingest-1") // ref
                .varint(3, 1024) // total
                .string(4, "sha256:abc") // expected
                .varint(5, 512) // offset
                .bytes(6, new byte[] {1, 2, 3}) // data
                .toByteArray();

        WriteContentRequest request = WriteContentRequest.parseFrom(wire);

        assertEquals(WriteAction.WRITE, request.getAction());
        assertEquals("ingest-1", request.getRef());
        assertEquals(1024, request.getTotal());
        assertEquals("sha256:abc", request.getExpected());
        assertEquals(512, request.getOffset());
        assertArrayEquals(new byte[] {1, 2, 3}, request.getData().toByteArray());
        assertTrue(request.getUnknownFields().asMap().isEmpty());
    }

    @Test
    void createTaskRequest_fieldNumbers() throws InvalidProtocolBufferException {
        byte[] wire = new Wire()
                .string(1, "c1") // container_id
                .string(4, "/run/fifo/in") // stdin
                .string(5, "/run/fifo/out") // stdout
                .string(6, "/run/fifo/err") // stderr
                .varint(7, 1) // terminal
                .string(10, "/usr/bin/berth-shim") // runtime_path
                .toByteArray();

        CreateTaskRequest request = CreateTaskRequest.parseFrom(wire);

        assertEquals("c1", request.getContainerId());
        assertEquals("/run/fifo/in", request.getStdin());
        assertEquals("/run/fifo/out", request.getStdout());
        assertEquals("/run/fifo/err", request.getStderr());
        assertTrue(request.getTerminal());
        assertEquals("/usr/bin/berth-shim", request.getRuntimePath());
        assertTrue(request.getUnknownFields().asMap().isEmpty());
    }

    @Test
    void container_fieldNumbers() throws InvalidProtocolBufferException {
        byte[] wire = new Wire()
                .string(1, "c1") // id
                .string(3, "docker.io/library/busybox:latest") // image
                .string(6, "overlayfs") // snapshotter
                .string(7, "c1-snapshot") // snapshot_key
                .toByteArray();

        Container container = Container.parseFrom(wire);

        assertEquals("c1", container.getId());
        assertEquals("docker.io/library/busybox:latest", container.getImage());
        assertEquals("overlayfs", container.getSnapshotter());
        assertEquals("c1-snapshot", container.getSnapshotKey());
    }

    @Test
    void prepareSnapshotRequest_fieldNumbers() throws InvalidProtocolBufferException {
        byte[] wire = new Wire().string(1, "overlayfs").string(2, "k1").string(3, "p0").toByteArray();

        PrepareSnapshotRequest request = PrepareSnapshotRequest.parseFrom(wire);

        assertEquals("overlayfs", request.getSnapshotter());
        assertEquals("k1", request.getKey());
        assertEquals("p0", request.getParent());
    }

    @Test
    void envelope_fieldNumbers() throws InvalidProtocolBufferException {
        byte[] wire = new Wire().string(2, "default").string(3, "/tasks/exit").toByteArray();

        Envelope envelope = Envelope.parseFrom(wire);

        assertEquals("default", envelope.getNamespace());
        assertEquals("/tasks/exit", envelope.getTopic());
    }

    /** Builds protobuf wire bytes field by field, independently of the generated code. */
    private static final class Wire {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Wire varint(int field, long value) {
            writeVarint((long) field << 3);
            writeVarint(value);
            return this;
        }

        Wire bytes(int field, byte[] value) {
            writeVarint((long) field << 3 | 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        Wire string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void writeVarint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
