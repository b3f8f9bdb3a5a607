package dev.berth.manager.image;

import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;

/**
 * Where the {@link Unpacker} gets each layer's bytes (as stored, compressed as the media type says) and how the
 * supplier takes part in the unpack. Import and commit read committed blobs from the content store
 * ({@link #of(ContentStore)}); a pull hands a layer over while it downloads and vouches for the bytes only once
 * the blob is verified and committed. Several layers may be open at once, each read on its own thread.
 */
public interface LayerSource {

    /** Opens layer {@code index}'s bytes; the unpacker reads what it needs and closes the stream. */
    InputStream open(int index, Descriptor layer) throws IOException;

    /**
     * Called once the bytes of layer {@code index} were read, whether the apply worked or not, and before its
     * snapshot is committed: returns when they are the blob's (verified against its digest), else throws why
     * not. A failed apply is reported with this failure when there is one: a digest lie explains a broken tar
     * better than the tar reader does.
     */
    default void verify(int index, Descriptor layer) throws IOException {
    }

    /** Layer {@code index} is unpacked as {@code chainId}, now or by an earlier unpack. */
    default void unpacked(int index, Descriptor layer, String chainId) {
    }

    /**
     * The unpack failed with {@code cause}: the layers still being read need no more bytes, and a read that
     * waits for bytes should end with a failure rather than wait on.
     */
    default void cancel(Exception cause) {
    }

    /** Layers read from {@code content}, where they were verified when they were committed. */
    static LayerSource of(ContentStore content) {
        return (index, layer) -> new BufferedInputStream(Channels.newInputStream(content.read(layer.digest())),
                1 << 16);
    }
}
