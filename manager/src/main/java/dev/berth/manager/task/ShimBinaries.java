package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which shim binary serves a runtime name: an absolute path names the binary itself; a name in the table maps to
 * its binary; any other {@code io.containerd.<name>.<version>} is {@code containerd-shim-<name>-<version>} on
 * {@code PATH}, as in containerd's {@code runtime/v2/shim/util.go}.
 */
public final class ShimBinaries {
    /** The runtime name containerd's clients send by default. */
    public static final String RUNC_V2 = "io.containerd.runc.v2";

    private static final Pattern CONTAINERD_NAME = Pattern.compile("io\\.containerd\\.([^./]+)\\.([^./]+)");

    private final Map<String, Path> table;
    private final String searchPath;
    private final String defaultRuntime;

    /**
     * @param table runtime name → absolute path of its shim
     * @param searchPath where other {@code io.containerd.*} runtimes are looked up ({@code PATH} syntax)
     */
    public ShimBinaries(Map<String, Path> table, String searchPath) {
        this(table, searchPath, RUNC_V2);
    }

    /**
     * @param defaultRuntime the runtime of a container that names none (containerd's configured default)
     */
    public ShimBinaries(Map<String, Path> table, String searchPath, String defaultRuntime) {
        table.forEach((name, binary) -> {
            if (!binary.isAbsolute()) {
                throw new IllegalArgumentException("shim of runtime " + name + " must be an absolute path: " + binary);
            }
        });
        this.table = Map.copyOf(table);
        this.searchPath = searchPath;
        this.defaultRuntime = defaultRuntime;
    }

    /**
     * An empty name is the default runtime.
     *
     * @throws BerthException INVALID_ARGUMENT for a name that is neither a path, in the table nor containerd's
     *     form; NOT_FOUND if the binary is not an executable file
     */
    public Path resolve(String requested) {
        String runtime = requested.isEmpty() ? defaultRuntime : requested;
        String what = "resolve runtime \"" + runtime + "\"";
        Path binary;
        if (runtime.startsWith("/")) {
            binary = Path.of(runtime);
        } else if (table.containsKey(runtime)) {
            binary = table.get(runtime);
        } else {
            Matcher m = CONTAINERD_NAME.matcher(runtime);
            if (!m.matches()) {
                throw BerthException.invalidArgument(
                        what + ": not an absolute path nor io.containerd.<name>.<version>");
            }
            String name = "containerd-shim-" + m.group(1) + "-" + m.group(2);
            binary = onSearchPath(name).orElseThrow(() -> BerthException.notFound(what + ": " + name
                    + " not found on " + searchPath));
        }
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw BerthException.notFound(what + ": " + binary + " is not an executable file");
        }
        return binary;
    }

    private Optional<Path> onSearchPath(String name) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir).resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }
}
