package dev.berth.manager.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.oci.ImageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/** Reading, parsing and writing the small JSON blobs of images: manifests, indexes, configs. */
public final class ContentBlobs {

    /** As containerd's importer: no manifest, index or config is larger than this. */
    public static final int JSON_LIMIT = 20 << 20;
    public static final ObjectMapper JSON = new ObjectMapper();

    private ContentBlobs() {
    }

    /** The blob's bytes; INVALID_ARGUMENT if it is larger than {@link #JSON_LIMIT}. */
    public static byte[] read(ContentStore store, Digest digest) throws IOException {
        try (InputStream in = Channels.newInputStream(store.read(digest))) {
            byte[] data = in.readNBytes(JSON_LIMIT + 1);
            if (data.length > JSON_LIMIT) {
                throw BerthException.invalidArgument("read " + digest + ": larger than " + JSON_LIMIT + " bytes");
            }
            return data;
        }
    }

    public static <T> T readJson(ContentStore store, Digest digest, Class<T> type) throws IOException {
        byte[] data = read(store, digest);
        try {
            return JSON.readValue(data, type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw BerthException.invalidArgument("parse " + digest + ": " + e.getOriginalMessage());
        }
    }

    /** Parses a fetched document of {@code desc}; INVALID_ARGUMENT naming it when it does not parse as a {@code type}. */
    public static <T> T parse(Descriptor desc, Class<T> type, byte[] body) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw BerthException.invalidArgument("parse " + desc.mediaType() + " " + desc.digest() + ": "
                    + e.getMessage());
        }
    }

    /** Parses a fetched config of {@code desc}; INVALID_ARGUMENT naming it when it is not a JSON object. */
    public static ImageConfig parseConfig(Descriptor desc, byte[] body) {
        return new ImageConfig(parse(desc, ObjectNode.class, body));
    }

    /** Stores {@code data} (already present is fine) and answers its descriptor; {@code labels} are set on it. */
    public static Descriptor write(ContentStore store, String mediaType, byte[] data, Map<String, String> labels)
            throws IOException {
        Digest digest = sha256(data);
        try (ContentWriter w = store.writer("blob-" + digest.encoded(), data.length, digest)) {
            w.truncate(0);
            w.write(ByteBuffer.wrap(data));
            w.commit(data.length, digest, labels);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                throw e;
            }
            ImageLabels.add(store, digest, labels);
        }
        return new Descriptor(mediaType, digest, data.length);
    }

    public static Digest sha256(byte[] data) {
        try {
            return Digest.sha256(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
