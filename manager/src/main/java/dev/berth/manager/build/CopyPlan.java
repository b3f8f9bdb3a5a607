package dev.berth.manager.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.diff.TarEntry;
import dev.berth.manager.diff.TarWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a COPY or ADD puts into its layer: one tar entry per file, directory and symlink, named by its path in the
 * image, with the step's owner (root unless {@code --chown}) and mode ({@code --chmod}, else the source's), and the
 * directories the destination lacks. The layer is written from this plan directly (no container, no filesystem
 * compare), its entries sorted by name, with every mtime set to {@code SOURCE_DATE_EPOCH} when the build has one;
 * the plan's hash (names, types, modes, owners, links and contents, not mtimes) is the step's content hash for the
 * cache and for docker's {@code file:}/{@code dir:}/{@code multi:} {@code created_by}.
 */
final class CopyPlan {

    /** Who owns what the step writes. {@code keep}: sources that have owners keep them (no --chown given). */
    record Owner(int uid, int gid, boolean keep) {
        static final Owner ROOT = new Owner(0, 0, false);
    }

    private record Entry(TarEntry.Type type, int mode, int uid, int gid, long size, Instant mtime, String link,
                         Path file) {
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Owner owner;
    private final Optional<Integer> chmod;
    private final Optional<Instant> epoch;
    private int sources;
    private boolean directorySource;

    CopyPlan(Owner owner, Optional<Integer> chmod, Optional<Instant> epoch) {
        this.owner = owner;
        this.chmod = chmod;
        this.epoch = epoch;
    }

    /**
     * Adds {@code source} (a host path: in the context, an extracted archive or a view of an image) at
     * {@code target} (a path in the image, without its leading slash): a directory's contents go below it, and
     * the directory itself (0755) only when {@code withRoot} (the destination does not exist yet). {@code keep}:
     * the files keep their owners (an ADDed archive's) unless the step has {@code --chown}.
     */
    void add(Path source, String target, boolean withRoot, boolean keep) throws IOException {
        sources++;
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            directorySource = true;
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.sorted().toList()) {
                    String rel = source.relativize(p).toString();
                    String name = rel.isEmpty() ? target : target.isEmpty() ? rel : target + "/" + rel;
                    if (rel.isEmpty()) {
                        if (withRoot && !name.isEmpty()) {
                            directory(name);
                        }
                    } else {
                        entry(p, name, keep);
                    }
                }
            }
        } else {
            entry(source, target, keep);
        }
    }

    /** A directory the destination needs and the image lacks (created 0755, owned as the step's files). */
    void directory(String name) {
        entries.putIfAbsent(name, new Entry(TarEntry.Type.DIRECTORY, 0755, owner.uid(), owner.gid(), 0,
                epoch.orElse(Instant.EPOCH), "", null));
    }

    private void entry(Path p, String name, boolean keep) throws IOException {
        Map<String, Object> st = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (int) st.get("mode");
        Instant mtime = epoch.orElse(((java.nio.file.attribute.FileTime) st.get("lastModifiedTime")).toInstant());
        int uid = keep && owner.keep() ? (int) st.get("uid") : owner.uid();
        int gid = keep && owner.keep() ? (int) st.get("gid") : owner.gid();
        int perm = chmod.orElse(mode & 07777);
        Entry e;
        if (Files.isSymbolicLink(p)) {
            e = new Entry(TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime, Files.readSymbolicLink(p).toString(),
                    null);
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            e = new Entry(TarEntry.Type.DIRECTORY, perm, uid, gid, 0, mtime, "", null);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            e = new Entry(TarEntry.Type.REGULAR, perm, uid, gid, (long) st.get("size"), mtime, "", p);
        } else {
            return; // sockets, fifos and devices are not copied
        }
        entries.put(name, e);
    }

    int sources() {
        return sources;
    }

    /** docker's source hash: {@code file:<hex>} for one file, {@code dir:<hex>} for a directory, else multi. */
    String hash() throws IOException {
        MessageDigest sha = sha256();
        for (var e : entries.entrySet()) {
            Entry v = e.getValue();
            sha.update((e.getKey() + "\0" + v.type() + "\0" + Integer.toOctalString(v.mode()) + "\0" + v.uid() + "\0"
                    + v.gid() + "\0" + v.link() + "\0").getBytes(StandardCharsets.UTF_8));
            if (v.file() != null) {
                try (InputStream in = Files.newInputStream(v.file())) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                    }
                }
            }
        }
        String kind = sources > 1 ? "multi" : directorySource ? "dir" : "file";
        return kind + ":" + HexFormat.of().formatHex(sha.digest());
    }

    /** Writes the plan's entries, sorted, into {@code tar}. */
    void write(TarWriter tar) throws IOException {
        for (var e : entries.entrySet()) {
            Entry v = e.getValue();
            String name = v.type() == TarEntry.Type.DIRECTORY ? e.getKey() + "/" : e.getKey();
            TarEntry header = new TarEntry(name, v.type(), v.mode(), v.uid(), v.gid(), v.size(), v.mtime(),
                    v.link(), 0, 0, Map.of());
            if (v.file() == null) {
                tar.write(header, InputStream.nullInputStream());
            } else {
                try (InputStream in = Files.newInputStream(v.file())) {
                    tar.write(header, in);
                }
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw BerthException.internal("sha-256: " + e.getMessage());
        }
    }

    /** The names the plan holds, for tests. */
    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }
}
