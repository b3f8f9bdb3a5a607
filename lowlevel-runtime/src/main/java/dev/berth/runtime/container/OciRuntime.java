package dev.berth.runtime.container;

import dev.berth.runtime.cgroup.CgroupHost;
import dev.berth.runtime.process.ParentProcess;
import dev.berth.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The runtime as a library: creates and loads containers kept under one state root ({@code --root}). The CLI
 * is a thin layer over it, and berth-shim drives it in-process, without a JVM start per verb.
 *
 * <pre>
 *   &lt;root&gt;/&lt;id&gt;/state.json   the saved {@link ContainerState}
 *   &lt;root&gt;/&lt;id&gt;/exec.fifo    present from create until start (runc's layout)
 * </pre>
 */
public final class OciRuntime {
    private static final Pattern ID = Pattern.compile("[\\w+\\-.]+");

    private final Syscalls sys;
    private final ParentProcess parent;
    private final CgroupHost cgroupHost;
    private final Path root;
    private final Consumer<String> warnings;

    /**
     * @param warnings receives what goes wrong without failing an operation (a poststart hook that fails)
     */
    public OciRuntime(Syscalls sys, Path initBinary, CgroupHost cgroupHost, Path root, Consumer<String> warnings) {
        this.sys = sys;
        this.warnings = warnings;
        this.parent = new ParentProcess(sys, sys, initBinary);
        this.cgroupHost = cgroupHost;
        this.root = root;
    }

    Syscalls sys() {
        return sys;
    }

    ParentProcess parent() {
        return parent;
    }

    CgroupHost cgroupHost() {
        return cgroupHost;
    }

    void warn(String message) {
        warnings.accept(message);
    }

    public Path root() {
        return root;
    }

    /** Creates a container from a bundle; its process waits on exec.fifo until {@link Container#start()}. */
    public Container create(String id, Path bundle, CreateOptions options) {
        checkId("create", id);
        return ContainerCreator.create(this, id, bundle.toAbsolutePath().normalize(), options);
    }

    /** Loads a container created earlier; NOT_FOUND names the id. */
    public Container load(String op, String id) {
        checkId(op, id);
        Path dir = root.resolve(id);
        Path file = dir.resolve("state.json");
        if (!Files.exists(file)) {
            throw new ContainerException(ContainerException.Kind.NOT_FOUND, op + " " + id + ": container does not exist");
        }
        try {
            return new Container(this, dir, ContainerState.fromJson(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    /** Every container under the root, in name order; a directory without a readable state is skipped. */
    public List<Container> list() {
        List<Container> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            ds.forEach(dirs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("list " + root, e);
        }
        dirs.sort(null);
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve("state.json"))) {
                out.add(load("list", dir.getFileName().toString()));
            }
        }
        return out;
    }

    static void checkId(String op, String id) {
        if (id == null || id.isEmpty()) {
            throw new ContainerException(ContainerException.Kind.INVALID_ARGUMENT, op + ": container id cannot be empty");
        }
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new ContainerException(ContainerException.Kind.INVALID_ARGUMENT,
                    op + " " + id + ": invalid container ID format");
        }
    }
}
