package dev.berth.api.ttrpc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/** Reads ttrpc frames from a byte channel; one thread reads at a time. */
final class FrameReader {
    private final ReadableByteChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(Frame.HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN);

    FrameReader(ReadableByteChannel channel) {
        this.channel = channel;
    }

    /**
     * Reads the next frame; empty when the peer closed the connection between frames.
     *
     * @throws OversizeFrameException for a frame over 4 MiB, whose payload has been skipped
     * @throws EOFException when the stream ends inside a frame
     */
    Optional<Frame> read() throws IOException {
        header.clear();
        if (!fill(header, true)) {
            return Optional.empty();
        }
        header.flip();
        long length = Integer.toUnsignedLong(header.getInt());
        int streamId = header.getInt();
        byte type = header.get();
        byte flags = header.get();
        if (length > Frame.MAX_PAYLOAD) {
            skip(length);
            throw new OversizeFrameException(streamId, length);
        }
        ByteBuffer payload = ByteBuffer.allocate((int) length);
        fill(payload, false);
        return Optional.of(new Frame(streamId, type, flags, payload.array()));
    }

    /** Fills the buffer; returns false only if the stream ended before its first byte and that is allowed. */
    private boolean fill(ByteBuffer buffer, boolean endAllowed) throws IOException {
        boolean empty = buffer.position() == 0;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endAllowed && empty && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("read ttrpc frame: connection closed inside a frame");
            }
        }
        return true;
    }

    private void skip(long length) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
        long left = length;
        while (left > 0) {
            scratch.clear().limit((int) Math.min(scratch.capacity(), left));
            int n = channel.read(scratch);
            if (n < 0) {
                throw new EOFException("skip oversize ttrpc frame: connection closed inside a frame");
            }
            left -= n;
        }
    }
}
