package dev.berth.api.ttrpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.ReentrantLock;

/** Writes ttrpc frames to a byte channel, one whole frame at a time, from any number of threads. */
final class FrameWriter {
    private final WritableByteChannel channel;
    private final ReentrantLock lock = new ReentrantLock();

    FrameWriter(WritableByteChannel channel) {
        this.channel = channel;
    }

    /**
     * Writes a frame.
     *
     * @throws OversizeFrameException if the payload is over 4 MiB; nothing is written then
     */
    void write(Frame frame) throws IOException {
        byte[] payload = frame.payload();
        if (payload.length > Frame.MAX_PAYLOAD) {
            throw new OversizeFrameException(frame.streamId(), payload.length);
        }
        ByteBuffer buffer = ByteBuffer.allocate(Frame.HEADER_LENGTH + payload.length);
        buffer.putInt(payload.length).putInt(frame.streamId()).put(frame.type()).put(frame.flags()).put(payload).flip();
        lock.lock();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } finally {
            lock.unlock();
        }
    }
}
