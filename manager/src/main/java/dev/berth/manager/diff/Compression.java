package dev.berth.manager.diff;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** A layer's compression, as its media type names it (OCI image spec, "Image Layer Filesystem Changeset"). */
public enum Compression {
    NONE("application/vnd.oci.image.layer.v1.tar"),
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd");

    /** Inflating in 64 KiB reads instead of the JDK's 512 bytes is what makes gunzip fast. */
    private static final int BUFFER = 1 << 16;

    private final String ociMediaType;

    Compression(String ociMediaType) {
        this.ociMediaType = ociMediaType;
    }

    /** The OCI media type of a layer with this compression. */
    public String mediaType() {
        return ociMediaType;
    }

    /** The compression a layer media type names; OCI's and Docker schema 2's are known. */
    public static Compression ofMediaType(String mediaType) {
        return switch (mediaType) {
            case "application/vnd.oci.image.layer.v1.tar",
                 "application/vnd.oci.image.layer.nondistributable.v1.tar",
                 "application/vnd.docker.image.rootfs.diff.tar" -> NONE;
            case "application/vnd.oci.image.layer.v1.tar+gzip",
                 "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                 "application/vnd.docker.image.rootfs.diff.tar.gzip",
                 "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" -> GZIP;
            case "application/vnd.oci.image.layer.v1.tar+zstd",
                 "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" -> ZSTD;
            default -> throw BerthException.invalidArgument("layer media type " + mediaType + ": not supported");
        };
    }

    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case ZSTD -> new ZstdInputStream(in);
        };
    }

    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out, BUFFER);
            case ZSTD -> new ZstdOutputStream(out, 3);
        };
    }
}
