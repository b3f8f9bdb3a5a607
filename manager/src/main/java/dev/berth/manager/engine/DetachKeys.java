package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * docker's detach keys: the key sequence that, read on an attached terminal's stdin, ends the attachment (not the
 * process). The syntax is moby/term's {@code ToBytes}: comma-separated keys, each a single character or
 * {@code ctrl-<x>} with {@code x} one of {@code a-z @ [ \ ] ^ _}; the default is {@code ctrl-p,ctrl-q}. As docker's
 * daemon, only a terminal's stdin is scanned (moby {@code container/stream/attach.go}: {@code copyEscapable} when
 * {@code TTY}), and the bytes of a partial match are held back until the match fails, then passed on.
 */
final class DetachKeys {
    /** ctrl-p, ctrl-q. */
    static final byte[] DEFAULT = {16, 17};

    private final byte[] keys;
    private int matched;

    private DetachKeys(byte[] keys) {
        this.keys = keys;
    }

    /** A scanner for {@code spec} (empty or null: the default); INVALID_ARGUMENT as docker's for a bad one. */
    static DetachKeys parse(String spec) {
        return new DetachKeys(spec == null || spec.isEmpty() ? DEFAULT : bytes(spec));
    }

    static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : spec.split(",", -1)) {
            if (key.length() == 1) {
                out.write(key.charAt(0));
                continue;
            }
            String k = key.toLowerCase(Locale.ROOT);
            if (k.length() == 6 && k.startsWith("ctrl-")) {
                char c = k.charAt(5);
                if (c >= 'a' && c <= 'z') {
                    out.write(c - 'a' + 1);
                    continue;
                }
                int i = "@[\\]^_".indexOf(c);
                if (i >= 0) {
                    out.write(i == 0 ? 0 : 27 + i - 1);
                    continue;
                }
            }
            throw BerthException.invalidArgument("Invalid detach keys (" + spec + ") provided");
        }
        return out.toByteArray();
    }

    /** What one read of stdin gives: the bytes to pass to the process, and whether the sequence was read. */
    record Scan(byte[] pass, boolean detach) {
    }

    /** Scans {@code data}; bytes after a complete sequence are dropped, as the attachment ends there. */
    synchronized Scan scan(byte[] data) {
        ByteArrayOutputStream pass = new ByteArrayOutputStream(data.length + matched);
        for (byte b : data) {
            if (b == keys[matched]) {
                if (++matched == keys.length) {
                    matched = 0;
                    return new Scan(pass.toByteArray(), true);
                }
                continue;
            }
            if (matched > 0) {
                pass.write(keys, 0, matched);
                matched = 0;
                if (b == keys[0]) {
                    matched = 1; // a sequence of two keys or more, or it would have matched above
                    continue;
                }
            }
            pass.write(b);
        }
        return new Scan(pass.toByteArray(), false);
    }

    @Override
    public String toString() {
        return Arrays.toString(keys);
    }
}
