package dev.berth.manager.dockerapi;

import dev.berth.api.services.engine.v1.StreamKind;

/**
 * docker's multiplexed stream (Tty false): each frame an 8-byte header (the stream: 0 stdin, 1 stdout, 2 stderr;
 * three zero bytes; the payload's length, big-endian 32 bits), then the payload. With a terminal the bytes are
 * sent raw.
 */
final class Frames {

    private Frames() {
    }

    static byte[] frame(StreamKind kind, byte[] payload) {
        byte[] out = new byte[8 + payload.length];
        out[0] = (byte) switch (kind) {
            case STDIN -> 0;
            case STDERR -> 2;
            default -> 1;
        };
        int n = payload.length;
        out[4] = (byte) (n >>> 24);
        out[5] = (byte) (n >>> 16);
        out[6] = (byte) (n >>> 8);
        out[7] = (byte) n;
        System.arraycopy(payload, 0, out, 8, n);
        return out;
    }

    /** The frame, or the payload itself with a terminal. */
    static byte[] encode(boolean tty, StreamKind kind, byte[] payload) {
        return tty ? payload : frame(kind, payload);
    }
}
