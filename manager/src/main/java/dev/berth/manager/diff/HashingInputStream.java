package dev.berth.manager.diff;

import dev.berth.manager.content.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Passes bytes through while hashing them with sha256 and counting them; closing it leaves the source open. */
final class HashingInputStream extends FilterInputStream {
    private final MessageDigest sha256;
    private long count;

    HashingInputStream(InputStream in) {
        super(in);
        this.sha256 = newSha256();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha256: not available in this JDK", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            sha256.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            sha256.update(buf, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 65536)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public void close() {
        // the source belongs to the caller
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left, so that the digest covers the whole stream. */
    void drain() throws IOException {
        byte[] buf = new byte[65536];
        while (read(buf, 0, buf.length) >= 0) {
            // hashing as it goes
        }
    }

    long count() {
        return count;
    }

    /** The digest of everything read so far; call once, at the end. */
    Digest digest() {
        return Digest.sha256(sha256.digest());
    }
}
