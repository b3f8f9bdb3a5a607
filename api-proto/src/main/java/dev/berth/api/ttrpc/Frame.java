package dev.berth.api.ttrpc;

/**
 * One ttrpc frame: the header fields and the payload they announce.
 *
 * @param streamId the stream, an unsigned 32-bit number held in an int
 * @param type the raw type byte ({@link MessageType})
 * @param flags reserved for streaming; 0 for unary calls
 * @param payload the message bytes, at most {@link #MAX_PAYLOAD}
 */
record Frame(int streamId, byte type, byte flags, byte[] payload) {
    static final int HEADER_LENGTH = 10;
    static final int MAX_PAYLOAD = 4 << 20;

    static Frame of(int streamId, MessageType type, byte[] payload) {
        return new Frame(streamId, type.value(), (byte) 0, payload);
    }
}
