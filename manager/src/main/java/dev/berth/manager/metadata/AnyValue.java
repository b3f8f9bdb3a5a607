package dev.berth.manager.metadata;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An opaque typed value, the stored form of a protobuf {@code google.protobuf.Any}: a type URL and the encoded
 * message. The metadata layer never decodes it. {@link #EMPTY} stands for an unset field.
 */
public record AnyValue(String typeUrl, byte[] value) {

    public static final AnyValue EMPTY = new AnyValue("", new byte[0]);

    public AnyValue {
        Objects.requireNonNull(typeUrl, "typeUrl");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public boolean isEmpty() {
        return typeUrl.isEmpty() && value.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnyValue other && typeUrl.equals(other.typeUrl) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * typeUrl.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "AnyValue[" + typeUrl + ", " + HexFormat.of().formatHex(value, 0, Math.min(value.length, 16))
                + (value.length > 16 ? "…" : "") + "]";
    }
}
