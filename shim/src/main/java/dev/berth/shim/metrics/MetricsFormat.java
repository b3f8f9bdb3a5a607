package dev.berth.shim.metrics;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.berth.runtime.spec.JsonException;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.Stats;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shape of a task's metrics on this host: containerd's cgroup v1 or v2 {@code Metrics}, packed in the Any of
 * the shim's StatsResponse with the message's full name as type URL (as containerd's typeurl registers it).
 */
public enum MetricsFormat {
    CGROUP_V1,
    CGROUP_V2;

    /** v2 when the cgroup mount is the unified hierarchy ({@code cgroup.controllers} at its root), else v1. */
    public static MetricsFormat detect(Path cgroupRoot) {
        return Files.exists(cgroupRoot.resolve("cgroup.controllers")) ? CGROUP_V2 : CGROUP_V1;
    }

    /** Converts the runtime's stats; INTERNAL if its JSON is not runc's {@code types.Stats}. */
    public Any toAny(String containerId, Stats stats) {
        Message metrics;
        try {
            StatsObject data = StatsObject.parse(stats.json());
            metrics = this == CGROUP_V1 ? CgroupV1Metrics.of(data) : CgroupV2Metrics.of(data);
        } catch (JsonException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "stats " + containerId + ": " + e.getMessage(),
                    e);
        }
        return Any.newBuilder().setTypeUrl(metrics.getDescriptorForType().getFullName())
                .setValue(metrics.toByteString()).build();
    }
}
