package dev.berth.manager.server;

import dev.berth.manager.fs.Permissions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The modes of what berthd keeps under its root and state, checked at start (see {@link Permissions} for why):
 * a root made by an older berthd, or loosened by hand, is brought back to them, each change reported. The stores
 * create what is missing with the same modes.
 *
 * <pre>
 * root/                                 0711   state/                                 0711
 *   content/ (blobs, ingest, labels)    0700     io.containerd.runtime.v2.task/       0711
 *   snapshots/, snapshots/&lt;name&gt;/,     0700       &lt;namespace&gt;/                      0711 (bundles 0700)
 *     metadata/, snapshots/             0700   &lt;dir of the socket&gt;/s/ (shim sockets)   0700
 *   tmp/ (mount points of diffs)        0700   &lt;dir of the socket&gt;/berth-runtime/        0711
 *   metadata.db, -wal, -shm             0600
 * </pre>
 *
 * <p>The runtime state root is the shim's (berth-runtime's {@code --root}), made here so that it is never listable:
 * 0711, not runc's 0700, because a container whose root is mapped to another uid reaches its exec.fifo by path.
 */
final class StorageModes {

    /** A path whose mode was changed from {@code old} to {@code mode}. */
    record Fixed(Path path, Set<PosixFilePermission> old, Set<PosixFilePermission> mode) {
    }

    static final List<String> SNAPSHOTTERS = List.of("overlayfs", "native");
    static final String DATABASE = "metadata.db";
    static final String RUNTIME_DIR = "io.containerd.runtime.v2.task";

    private final Path root;
    private final Path state;
    private final Path shimSockets;
    private final Path runtimeState;

    StorageModes(Path root, Path state, Path address) {
        this.root = root;
        this.state = state;
        this.shimSockets = address.toAbsolutePath().getParent().resolve("s");
        this.runtimeState = address.toAbsolutePath().getParent().resolve("berth-runtime");
    }

    /** Creates, if missing, the directories the shims fill: their sockets' and the runtime's state root. */
    void createShimDirectories() throws IOException {
        Permissions.createDirectories(shimSockets, Permissions.PRIVATE_DIRECTORY);
        Permissions.createDirectories(runtimeState, Permissions.TRAVERSABLE_DIRECTORY);
    }

    /** Gives every existing path of the layout its mode; returns what had another. */
    List<Fixed> restrict() throws IOException {
        List<Fixed> fixed = new ArrayList<>();
        for (Map.Entry<Path, Set<PosixFilePermission>> e : expected().entrySet()) {
            Optional<Set<PosixFilePermission>> old = Permissions.restrict(e.getKey(), e.getValue());
            old.ifPresent(o -> fixed.add(new Fixed(e.getKey(), o, e.getValue())));
        }
        return fixed;
    }

    private Map<Path, Set<PosixFilePermission>> expected() throws IOException {
        Map<Path, Set<PosixFilePermission>> modes = new LinkedHashMap<>();
        modes.put(root, Permissions.TRAVERSABLE_DIRECTORY);
        for (String dir : List.of("content", "content/blobs", "content/ingest", "content/labels", "snapshots",
                "tmp")) {
            modes.put(root.resolve(dir), Permissions.PRIVATE_DIRECTORY);
        }
        for (String name : SNAPSHOTTERS) {
            Path s = root.resolve("snapshots").resolve(name);
            modes.put(s, Permissions.PRIVATE_DIRECTORY);
            modes.put(s.resolve("metadata"), Permissions.PRIVATE_DIRECTORY);
            modes.put(s.resolve("snapshots"), Permissions.PRIVATE_DIRECTORY);
        }
        for (String file : List.of(DATABASE, DATABASE + "-wal", DATABASE + "-shm")) {
            modes.put(root.resolve(file), Permissions.PRIVATE_FILE);
        }
        modes.put(state, Permissions.TRAVERSABLE_DIRECTORY);
        Path runtime = state.resolve(RUNTIME_DIR);
        modes.put(runtime, Permissions.TRAVERSABLE_DIRECTORY);
        for (Path namespace : subdirectories(runtime)) {
            modes.put(namespace, Permissions.TRAVERSABLE_DIRECTORY);
        }
        modes.put(shimSockets, Permissions.PRIVATE_DIRECTORY);
        modes.put(runtimeState, Permissions.TRAVERSABLE_DIRECTORY);
        return modes;
    }

    private static List<Path> subdirectories(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(out::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return out;
    }
}
