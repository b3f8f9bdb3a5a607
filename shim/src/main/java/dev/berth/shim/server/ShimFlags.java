package dev.berth.shim.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The shim's command line as containerd passes it ({@code -namespace NS -address ADDR -publish-binary BIN -id ID
 * [-debug] [-bundle B] start|delete}; Go's flag syntax: one or two dashes, {@code -flag value} or
 * {@code -flag=value}), plus {@code serve} for the long-lived copy with Berth's own {@code -ready-fd N} (where it
 * reports its address to {@code berth-shim-start}), and {@code -v}. The group is not a flag: the serving copy reads
 * it from the bundle and the environment ({@link ShimGroup}).
 */
record ShimFlags(String namespace, String address, String publishBinary, String id, boolean debug,
                 Optional<Path> bundle, OptionalInt readyFd, boolean version, String action) {
    /** The longest path a {@code sockaddr_un} holds, with its terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    static ShimFlags parse(String[] args) {
        String namespace = "";
        String address = "";
        String publishBinary = "";
        String id = "";
        boolean debug = false;
        boolean version = false;
        Optional<Path> bundle = Optional.empty();
        OptionalInt readyFd = OptionalInt.empty();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                rest.add(arg);
                continue;
            }
            String name = arg.replaceFirst("^--?", "");
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            switch (name) {
                case "debug" -> debug = true;
                case "v" -> version = true;
                case "namespace", "address", "publish-binary", "id", "bundle", "ready-fd" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("flag needs an argument: -" + name);
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "namespace" -> namespace = value;
                        case "address" -> address = value;
                        case "publish-binary" -> publishBinary = value;
                        case "id" -> id = value;
                        case "ready-fd" -> readyFd = OptionalInt.of(fd(value));
                        default -> bundle = Optional.of(Path.of(value));
                    }
                }
                default -> throw new IllegalArgumentException("flag provided but not defined: -" + name);
            }
        }
        return new ShimFlags(namespace, address, publishBinary, id, debug, bundle, readyFd, version,
                rest.isEmpty() ? "" : rest.get(0));
    }

    private static int fd(String value) {
        try {
            int fd = Integer.parseInt(value);
            if (fd >= 0) {
                return fd;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid value \"" + value + "\" for flag -ready-fd: not a descriptor");
    }

    /** The bundle: {@code -bundle}, else the working directory (containerd runs {@code start} in the bundle). */
    Path bundleDir() {
        return bundle.orElse(Path.of("").toAbsolutePath());
    }

    /** The directory of containerd's socket: private to that containerd instance. */
    private Path instanceDir() {
        return Path.of(address).toAbsolutePath().getParent();
    }

    /**
     * The socket of the group's server: {@code <dir of ADDR>/s/<name>} ({@link ShimGroup#socketName}), short enough
     * for a {@code sockaddr_un} and private to the containerd instance.
     */
    Path socketPath(ShimGroup group) {
        Path socket = socketDir().resolve(group.socketName(namespace));
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("start " + id + ": socket path too long: " + socket);
        }
        return socket;
    }

    /** Where the shim servers of this containerd instance have their sockets (and the claim lock). */
    Path socketDir() {
        return instanceDir().resolve("s");
    }

    /** The runtime's state root for this namespace unless the runc options name one. */
    Path runtimeRoot() {
        return instanceDir().resolve("berth-runtime").resolve(namespace);
    }
}
