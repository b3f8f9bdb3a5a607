package dev.berth.manager.server;

import java.nio.file.Path;

/**
 * How this berthd was started, as its main reads it once: the launcher that shims are told as their publish binary
 * (containerd passes its own path; bin/berthd sets {@code -Dberthd.launcher}) and {@code PATH}, where a runtime named
 * {@code io.containerd.<name>.<version>} finds its {@code containerd-shim-<name>-<version>}.
 */
public record Launch(Path publishBinary, String searchPath) {

    /** An installed berthd that an application embeds: the launcher's install path and the usual system PATH. */
    public static final Launch EMBEDDED = new Launch(Path.of("/usr/local/bin/berthd"),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}
