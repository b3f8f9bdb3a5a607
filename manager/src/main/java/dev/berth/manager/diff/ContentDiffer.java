package dev.berth.manager.diff;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.snapshot.Mount;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * containerd's walking differ over a content store: {@link #apply} unpacks a stored layer onto mounts and
 * {@link #compare} writes the layer between two mounts into the store, labelled with its uncompressed digest.
 */
public final class ContentDiffer {

    /** The label that records a compressed layer's diffID, as containerd's. */
    public static final String UNCOMPRESSED = "containerd.io/uncompressed";
    static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";

    private final LayerApplier applier;
    private final LayerComputer computer;

    public ContentDiffer(LayerApplier applier, LayerComputer computer) {
        this.applier = applier;
        this.computer = computer;
    }

    /**
     * Applies the blob {@code layer} onto {@code mounts}; answers the uncompressed layer's descriptor (its digest
     * is the diffID). A blob whose bytes do not hash to its digest is refused.
     */
    public Descriptor apply(ContentStore store, Descriptor layer, List<Mount> mounts, boolean allowDevices)
            throws IOException {
        AppliedLayer applied;
        try (InputStream in = Channels.newInputStream(store.read(layer.digest()))) {
            applied = applier.apply(in, layer.mediaType(), mounts, allowDevices);
        }
        if (!applied.digest().equals(layer.digest())) {
            throw new BerthException(ErrorKind.FAILED_PRECONDITION, "apply " + layer.digest()
                    + ": content hashes to " + applied.digest());
        }
        return new Descriptor(LAYER_TAR, applied.diffId(), applied.uncompressedSize());
    }

    /**
     * Writes the changes from {@code lower} to {@code upper} as a layer of {@code mediaType} (gzip when empty) into
     * {@code store} under {@code ref} (a fresh one when empty) with {@code labels}.
     */
    public Descriptor compare(ContentStore store, List<Mount> lower, List<Mount> upper, String mediaType,
                              String ref, Map<String, String> labels) throws IOException {
        return ingest(store, mediaType, ref, labels, (compression, out) -> computer.compute(lower, upper,
                compression, out));
    }

    /** What writes a layer's tar: the entries a build's COPY makes, for instance. */
    public interface TarBody {
        void write(TarWriter tar) throws IOException;
    }

    /**
     * Writes the tar that {@code body} makes as a layer of {@code mediaType} (gzip when empty) into {@code store},
     * labelled with its diffID as {@link #compare} does; no filesystem is compared.
     */
    public Descriptor write(ContentStore store, String mediaType, TarBody body) throws IOException {
        return ingest(store, mediaType, "", Map.of(), (compression, out) -> LayerComputer.writeTar(compression, out,
                body));
    }

    private interface Layer {
        ComputedLayer write(Compression compression, OutputStream out) throws IOException;
    }

    private Descriptor ingest(ContentStore store, String mediaType, String ref, Map<String, String> labels,
                              Layer body) throws IOException {
        String type = mediaType.isEmpty() ? "application/vnd.oci.image.layer.v1.tar+gzip" : mediaType;
        Compression compression = Compression.ofMediaType(type);
        String ingest = ref.isEmpty() ? "diff-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                : ref;
        Map<String, String> all = new HashMap<>(labels);
        ComputedLayer layer;
        Digest dgst;
        try (ContentWriter w = store.writer(ingest, 0, null)) {
            w.truncate(0);
            try {
                layer = body.write(compression, new WriterStream(w));
            } catch (IOException | RuntimeException e) {
                w.close();
                store.abort(ingest);
                throw e;
            }
            if (compression != Compression.NONE) {
                all.put(UNCOMPRESSED, layer.diffId().toString());
            }
            dgst = w.digest();
            try {
                w.commit(0, dgst, all);
            } catch (BerthException e) {
                if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
        ContentInfo info = store.info(dgst);
        if (compression != Compression.NONE && !info.labels().containsKey(UNCOMPRESSED)) {
            store.update(dgst, Map.of(UNCOMPRESSED, layer.diffId().toString()), Set.of("labels." + UNCOMPRESSED));
        }
        return new Descriptor(type, info.digest(), info.size());
    }

    /** An ingest seen as an output stream. */
    private static final class WriterStream extends OutputStream {
        private final ContentWriter w;

        WriterStream(ContentWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) throws IOException {
            w.write(ByteBuffer.wrap(new byte[] {(byte) b}));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            w.write(ByteBuffer.wrap(b, off, len));
        }
    }
}
