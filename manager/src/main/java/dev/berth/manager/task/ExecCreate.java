package dev.berth.manager.task;

import com.google.protobuf.Any;
import java.util.Objects;

/**
 * What adding an exec'd process to a running task takes.
 *
 * @param process names the task and the new exec id
 * @param spec the OCI {@code process} object as JSON, in an Any (containerd's type URL is {@code
 *     types.containerd.io/opencontainers/runtime-spec/1/Process})
 */
public record ExecCreate(ProcessRef process, Any spec, Stdio stdio) {
    public ExecCreate {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(stdio, "stdio");
        if (process.isInit()) {
            throw new IllegalArgumentException("exec in " + process + ": empty exec id");
        }
    }
}
