package dev.berth.client.transport;

/** A header block that breaks RFC 7541: a COMPRESSION_ERROR of the whole connection (RFC 9113 section 4.3). */
final class HpackException extends Exception {
    HpackException(String message) {
        super(message);
    }
}
