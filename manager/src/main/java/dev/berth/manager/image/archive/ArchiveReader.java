package dev.berth.manager.image.archive;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.ContentWriter;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarReader;
import dev.berth.manager.image.ContentBlobs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an image archive (OCI image layout or {@code docker save}) in one pass, as containerd's
 * {@code archive.ImportIndex}: the layout's small JSON files are kept in memory, every other regular file goes
 * straight into the content store, verified against its name when it is a {@code blobs/<alg>/<hex>} path. A
 * {@code docker save} archive's {@code manifest.json} may come after the files it names, so nothing is
 * interpreted until the whole archive is stored.
 */
final class ArchiveReader {

    static final String OCI_LAYOUT = "oci-layout";
    static final String INDEX = "index.json";
    static final String DOCKER_MANIFEST = "manifest.json";
    private static final Set<String> IGNORED = Set.of("repositories");
    private static final int BUFFER = 1 << 16;

    /**
     * What an archive held.
     *
     * @param json     the layout files kept in memory, by path ({@code oci-layout}, {@code index.json},
     *                 {@code manifest.json})
     * @param files    every other regular file, stored, by cleaned path (descriptors have no media type yet)
     * @param symlinks symlinks by cleaned path, to their cleaned target (docker's archives link repeated layers)
     */
    record Contents(Map<String, byte[]> json, Map<String, Descriptor> files, Map<String, String> symlinks) {

        /** The stored file at {@code path}, following symlinks; INVALID_ARGUMENT naming it if absent. */
        Descriptor file(String path) {
            String p = clean(path);
            for (int hops = 0; hops < 16 && symlinks.containsKey(p); hops++) {
                p = symlinks.get(p);
            }
            Descriptor d = files.get(p);
            if (d == null) {
                throw BerthException.invalidArgument("import: " + path + ": not in the archive");
            }
            return d;
        }
    }

    private final ContentStore content;
    private final String refPrefix;
    private int seq;

    ArchiveReader(ContentStore content, String refPrefix) {
        this.content = content;
        this.refPrefix = refPrefix;
    }

    Contents read(InputStream archive) throws IOException {
        TarReader tar = new TarReader(archive);
        Map<String, byte[]> json = new HashMap<>();
        Map<String, Descriptor> files = new HashMap<>();
        Map<String, String> symlinks = new HashMap<>();
        Optional<TarEntry> next;
        while ((next = tar.next()).isPresent()) {
            TarEntry e = next.get();
            String path = clean(e.name());
            if (e.type() == TarEntry.Type.SYMLINK) {
                int slash = path.lastIndexOf('/');
                symlinks.put(path, clean((slash < 0 ? "" : path.substring(0, slash + 1)) + e.linkName()));
                continue;
            }
            if (e.type() != TarEntry.Type.REGULAR || IGNORED.contains(path)) {
                continue;
            }
            if (path.equals(OCI_LAYOUT) || path.equals(INDEX) || path.equals(DOCKER_MANIFEST)) {
                json.put(path, readSmall(tar.content(), path));
            } else {
                files.put(path, store(path, e.size(), tar.content()));
            }
        }
        return new Contents(json, files, symlinks);
    }

    private static byte[] readSmall(InputStream in, String path) throws IOException {
        byte[] data = in.readNBytes(ContentBlobs.JSON_LIMIT + 1);
        if (data.length > ContentBlobs.JSON_LIMIT) {
            throw BerthException.invalidArgument("import: " + path + ": larger than " + ContentBlobs.JSON_LIMIT
                    + " bytes");
        }
        return data;
    }

    /** Stores one file; a {@code blobs/<alg>/<hex>} file must hash to its name. */
    private Descriptor store(String path, long size, InputStream data) throws IOException {
        Digest expected = blobDigest(path);
        String ref = refPrefix + "-" + seq++;
        Digest digest;
        try (ContentWriter w = content.writer(ref, size, expected)) {
            w.truncate(0);
            try {
                copy(data, w);
            } catch (IOException | RuntimeException e) {
                abort(w, ref);
                throw e;
            }
            digest = w.digest();
            try {
                w.commit(size, expected, Map.of());
            } catch (BerthException e) {
                if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                    return new Descriptor("", digest, size); // the namespace had it already
                }
                abort(w, ref);
                if (e.kind() == ErrorKind.FAILED_PRECONDITION) {
                    throw BerthException.invalidArgument("import: " + path + ": " + e.getMessage());
                }
                throw e;
            } catch (IOException | RuntimeException e) {
                abort(w, ref);
                throw e;
            }
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.ALREADY_EXISTS && expected != null) {
                return new Descriptor("", expected, size); // already stored: the reader skips its bytes
            }
            throw e;
        }
        return new Descriptor("", digest, size);
    }

    private void abort(ContentWriter w, String ref) throws IOException {
        w.close();
        try {
            content.abort(ref);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static void copy(InputStream in, ContentWriter w) throws IOException {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) > 0) {
            w.write(ByteBuffer.wrap(buf, 0, n));
        }
    }

    /** The digest a {@code blobs/<alg>/<hex>} path names, or null for other paths. */
    private static Digest blobDigest(String path) {
        String[] parts = path.split("/");
        if (parts.length != 3 || !parts[0].equals("blobs")) {
            return null;
        }
        try {
            return new Digest(parts[1], parts[2]);
        } catch (IllegalArgumentException e) {
            throw BerthException.invalidArgument("import: " + path + ": " + e.getMessage());
        }
    }

    /** A tar path without {@code ./}, leading or trailing {@code /}, {@code .} or {@code ..} components. */
    static String clean(String name) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }
}
