package dev.berth.api.ttrpc;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.Code;
import dev.berth.api.errdefs.ErrorKind;

/**
 * A ttrpc call that failed: the status a server returned, or a local failure (connection closed, deadline passed,
 * message too large) expressed as a status too. Its kind is the errdefs kind of the code.
 */
public final class TtrpcException extends BerthException {
    private final Code code;

    public TtrpcException(Code code, String message) {
        super(ErrorKind.of(code), message);
        this.code = code;
    }

    TtrpcException(Code code, String message, Throwable cause) {
        super(ErrorKind.of(code), message, cause);
        this.code = code;
    }

    /** The exact status code, also for codes that have no errdefs kind of their own. */
    public Code code() {
        return code;
    }

    @Override
    public String toString() {
        return "ttrpc " + code + ": " + getMessage();
    }
}
