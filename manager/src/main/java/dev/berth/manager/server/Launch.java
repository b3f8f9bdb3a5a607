package dev.berth.manager.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How this berthd was started, as its main reads it once: the launcher that shims are told as their publish binary
 * (containerd passes its own path; bin/berthd sets {@code -Dberthd.launcher}) and {@code PATH}, where a runtime named
 * {@code io.containerd.<name>.<version>} finds its {@code containerd-shim-<name>-<version>}; and the engine's
 * {@code --init} program ({@code -Dberth.docker-init}), if it was built.
 */
public record Launch(Path publishBinary, String searchPath, Optional<Path> dockerInit) {

    public Launch(Path publishBinary, String searchPath) {
        this(publishBinary, searchPath, Optional.empty());
    }

    /** An installed berthd that an application embeds: the launcher's install path and the usual system PATH. */
    public static final Launch EMBEDDED = new Launch(Path.of("/usr/local/bin/berthd"),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}
