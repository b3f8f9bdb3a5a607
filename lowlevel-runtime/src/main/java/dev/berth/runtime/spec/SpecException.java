package dev.berth.runtime.spec;

/** A configuration that cannot be read or is invalid; the message names the file or field. */
public final class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message);
    }
}
