package dev.berth.api.ttrpc;

import java.util.Optional;

/** The type byte of a ttrpc frame header. */
enum MessageType {
    REQUEST(1),
    RESPONSE(2),
    DATA(3);

    private final byte value;

    MessageType(int value) {
        this.value = (byte) value;
    }

    byte value() {
        return value;
    }

    /** The type of a received byte; empty for types this implementation does not know, which peers must ignore. */
    static Optional<MessageType> of(byte value) {
        for (MessageType type : values()) {
            if (type.value == value) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
