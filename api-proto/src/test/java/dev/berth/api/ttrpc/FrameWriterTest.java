package dev.berth.api.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

    @Test
    void write_response_layoutMatchesGo() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameWriter(Channels.newChannel(out)).write(Frame.of(0x01020305, MessageType.RESPONSE, new byte[] {7, 8}));
        assertArrayEquals(new byte[] {0, 0, 0, 2, 1, 2, 3, 5, 2, 0, 7, 8}, out.toByteArray());
    }

    @Test
    void write_oversizePayload_writesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(out));
        assertThrows(OversizeFrameException.class,
                () -> writer.write(Frame.of(1, MessageType.REQUEST, new byte[(4 << 20) + 1])));
        assertEquals(0, out.size());
    }
}
