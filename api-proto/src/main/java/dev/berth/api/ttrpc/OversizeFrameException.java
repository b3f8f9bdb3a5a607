package dev.berth.api.ttrpc;

import java.io.IOException;

/** A frame longer than ttrpc's 4 MiB limit, already skipped on read so that the connection can go on. */
final class OversizeFrameException extends IOException {
    private final int streamId;
    private final long length;

    OversizeFrameException(int streamId, long length) {
        super("frame length " + length + " exceeds maximum message size of " + Frame.MAX_PAYLOAD);
        this.streamId = streamId;
        this.length = length;
    }

    int streamId() {
        return streamId;
    }

    long length() {
        return length;
    }
}
