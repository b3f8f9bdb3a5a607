package dev.berth.cli.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a container's output is kept: {@code <log dir>/<namespace>/<id>.log}. Detached containers write it through
 * the shim ({@code file://} stdio), attached runs through the CLI's copy; {@code berth logs} reads it.
 */
public record LogFiles(Path dir) {

    public Path of(String namespace, String id) {
        return dir.resolve(namespace).resolve(id + ".log");
    }

    /** The log's path, its directory created, for a container about to start. */
    public Path prepare(String namespace, String id) throws IOException {
        Path log = of(namespace, id);
        Files.createDirectories(log.getParent());
        return log;
    }

    /** The stdio URI the shim appends to. */
    public static String uri(Path log) {
        return log.toAbsolutePath().toUri().toString().replaceFirst("^file:/+", "file:///");
    }
}
