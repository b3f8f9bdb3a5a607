package dev.berth.runtime.spec;

/** A document is not valid JSON, or does not have the shape a reader expects. */
public final class JsonException extends RuntimeException {
    public JsonException(String message) {
        super(message);
    }
}
