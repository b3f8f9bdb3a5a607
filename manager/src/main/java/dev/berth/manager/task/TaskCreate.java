package dev.berth.manager.task;

import com.google.protobuf.Any;
import dev.berth.manager.snapshot.Mount;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What creating a task takes.
 *
 * @param runtime the runtime name ({@code io.containerd.runc.v2}) or an absolute path to a shim binary
 * @param options runtime options for the shim (e.g. {@code containerd.runc.v1.Options}), given to its {@code
 *     start} on stdin and to Create; empty for none
 * @param spec the OCI runtime spec, written as the bundle's {@code config.json}
 * @param rootfs the mounts the shim stacks at {@code <bundle>/rootfs} (a snapshot's mounts); empty if the spec's
 *     root is already a complete directory
 */
public record TaskCreate(String namespace, String containerId, String runtime, Optional<Any> options, byte[] spec,
                         List<Mount> rootfs, Stdio stdio) {
    public TaskCreate {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(options, "options");
        spec = spec.clone();
        rootfs = List.copyOf(rootfs);
        Objects.requireNonNull(stdio, "stdio");
    }

    @Override
    public byte[] spec() {
        return spec.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskCreate t && namespace.equals(t.namespace) && containerId.equals(t.containerId)
                && runtime.equals(t.runtime) && options.equals(t.options) && Arrays.equals(spec, t.spec)
                && rootfs.equals(t.rootfs) && stdio.equals(t.stdio);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, containerId, runtime, options, Arrays.hashCode(spec), rootfs, stdio);
    }

    @Override
    public String toString() {
        return "TaskCreate[" + namespace + "/" + containerId + ", runtime=" + runtime + ", spec=" + spec.length
                + " bytes, rootfs=" + rootfs + ", stdio=" + stdio + "]";
    }
}
