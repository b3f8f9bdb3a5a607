package dev.berth.api.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import org.junit.jupiter.api.Test;

/** Frames written out byte by byte here, as Go's ttrpc channel.go lays them out, not by FrameWriter. */
class FrameReaderTest {

    private static FrameReader readerOf(byte[]... parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.write(part);
        }
        return new FrameReader(Channels.newChannel(new ByteArrayInputStream(all.toByteArray())));
    }

    @Test
    void read_requestFrame_decodesBigEndianHeader() throws IOException {
        byte[] frame = {
            0, 0, 0, 3, // length 3
            0, 0, 1, 3, // stream id 259
            1, // request
            0, // flags
            'a', 'b', 'c'
        };
        Frame read = readerOf(frame).read().orElseThrow();
        assertEquals(259, read.streamId());
        assertEquals(MessageType.REQUEST.value(), read.type());
        assertEquals(0, read.flags());
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, read.payload());
    }

    @Test
    void read_unsignedStreamId_keepsAllBits() throws IOException {
        byte[] frame = {0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfd, 2, 0};
        Frame read = readerOf(frame).read().orElseThrow();
        assertEquals("4294967293", Integer.toUnsignedString(read.streamId()));
        assertEquals(MessageType.RESPONSE.value(), read.type());
        assertEquals(0, read.payload().length);
    }

    @Test
    void read_twoFrames_thenCleanEnd() throws IOException {
        FrameReader reader = readerOf(
                new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 42},
                new byte[] {0, 0, 0, 1, 0, 0, 0, 3, 1, 0, 43});
        assertEquals(42, reader.read().orElseThrow().payload()[0]);
        assertEquals(3, reader.read().orElseThrow().streamId());
        assertTrue(reader.read().isEmpty());
    }

    @Test
    void read_endInsideHeader_isEof() throws IOException {
        FrameReader reader = readerOf(new byte[] {0, 0, 0, 1, 0});
        assertThrows(EOFException.class, reader::read);
    }

    @Test
    void read_endInsidePayload_isEof() throws IOException {
        FrameReader reader = readerOf(new byte[] {0, 0, 0, 5, 0, 0, 0, 1, 1, 0, 'x'});
        assertThrows(EOFException.class, reader::read);
    }

    @Test
    void read_oversizeFrame_isSkippedAndReported() throws IOException {
        int length = (4 << 20) + 1;
        byte[] oversize = new byte[10 + length];
        oversize[0] = 0x00;
        oversize[1] = 0x40; // 0x00400001 = 4 MiB + 1
        oversize[2] = 0x00;
        oversize[3] = 0x01;
        oversize[7] = 7; // stream 7
        oversize[8] = 1;
        byte[] next = {0, 0, 0, 1, 0, 0, 0, 9, 1, 0, 'n'};
        FrameReader reader = readerOf(oversize, next);
        OversizeFrameException e = assertThrows(OversizeFrameException.class, reader::read);
        assertEquals(7, e.streamId());
        assertEquals(length, e.length());
        Frame after = reader.read().orElseThrow();
        assertEquals(9, after.streamId());
        assertArrayEquals(new byte[] {'n'}, after.payload());
    }

    @Test
    void read_exactlyMaxSize_isAccepted() throws IOException {
        byte[] frame = new byte[10 + (4 << 20)];
        frame[1] = 0x40; // 0x00400000
        frame[7] = 1;
        frame[8] = 1;
        assertEquals(4 << 20, readerOf(frame).read().orElseThrow().payload().length);
    }

    @Test
    void read_unknownType_isReturnedRaw() throws IOException {
        Frame read = readerOf(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 9, 4}).read().orElseThrow();
        assertEquals(9, read.type());
        assertEquals(4, read.flags());
        assertTrue(MessageType.of(read.type()).isEmpty());
    }
}
