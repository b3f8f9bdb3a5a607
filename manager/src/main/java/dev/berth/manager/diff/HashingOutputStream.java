package dev.berth.manager.diff;

import dev.berth.manager.content.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through while hashing them with sha256 and counting them; closing it does not close the target. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha256 = HashingInputStream.newSha256();
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        out.write(buf, off, len);
        sha256.update(buf, off, len);
        count += len;
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }

    long count() {
        return count;
    }

    Digest digest() {
        return Digest.sha256(sha256.digest());
    }
}
