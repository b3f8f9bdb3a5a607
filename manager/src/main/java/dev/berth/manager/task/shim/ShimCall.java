package dev.berth.manager.task.shim;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What every call of a shim binary names: the binary, the task's namespace and id, and its bundle.
 *
 * @param binary an absolute path to the shim executable
 */
public record ShimCall(Path binary, String namespace, String id, Path bundle) {
    public ShimCall {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        if (!binary.isAbsolute() || !bundle.isAbsolute()) {
            throw new IllegalArgumentException("shim call " + id + ": binary and bundle must be absolute paths");
        }
    }
}
