package dev.berth.manager.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.engine.spec.SpecBuilder;
import dev.berth.manager.metadata.AnyValue;
import dev.berth.manager.metadata.ContainerRecord;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.manager.task.Tasks;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import dev.berth.model.RestartPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docker's {@code update}: new resource limits and restart policy for a container, checked as docker 20.10's
 * {@code verifyPlatformContainerResources} (update mode) and merged as its {@code UpdateContainer} (a value left
 * at zero keeps the current one), applied to the running task through its shim's Update (the runtime spec's
 * {@code LinuxResources}), and kept in the container's HostConfig and its OCI spec, so that inspect shows them and
 * the next start applies them. Nothing changes when a step fails.
 */
public final class ContainerUpdates {
    static final String RESOURCES_TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources";
    private static final long MIN_MEMORY = 6L * 1024 * 1024;

    private final Engine engine;
    private final MetadataDb db;
    private final Tasks tasks;
    private final DockerEvents events;
    private final HostLimits host;

    /** What the host allows: its CPUs and whether its memory cgroup limits swap. */
    public record HostLimits(int cpus, boolean swapLimit) {
        /** The running host's: {@code cgroupRoot} is {@code /sys/fs/cgroup}. */
        public static HostLimits of(Path cgroupRoot) {
            boolean swap = Files.exists(cgroupRoot.resolve("memory/memory.memsw.limit_in_bytes"))
                    || Files.exists(cgroupRoot.resolve("cgroup.controllers"));
            return new HostLimits(Runtime.getRuntime().availableProcessors(), swap);
        }
    }

    public ContainerUpdates(Engine engine, MetadataDb db, Tasks tasks, DockerEvents events, HostLimits host) {
        this.engine = engine;
        this.db = db;
        this.tasks = tasks;
        this.events = events;
        this.host = host;
    }

    /** Applies docker's {@code UpdateConfig} ({@code request}: its resources and RestartPolicy); the warnings. */
    public List<String> update(String namespace, String ref, HostConfig request) throws IOException {
        List<String> warnings = new ArrayList<>();
        HostConfig asked = verify(request, warnings);
        EngineContainer done = engine.locked(namespace, ref, (c, key) -> {
            if (c.status() == ContainerStatus.REMOVING) {
                throw BerthException.failedPrecondition("Container is marked for removal and cannot be \"update\"");
            }
            HostConfig merged = merge(c.id(), c.hostConfig(), asked);
            ObjectNode resources;
            try {
                resources = SpecBuilder.resources(merged);
            } catch (BerthException e) {
                throw BerthException.invalidArgument("Cannot update container " + c.id() + ": " + e.getMessage());
            }
            ContainerRecord record = db.containers(namespace).get(c.id());
            byte[] spec = withResources(record.spec().value(), resources);
            if (engine.hasRunningTask(namespace, c.id()) && c.status() != ContainerStatus.RESTARTING) {
                if (asked.pidsLimit() != null && asked.pidsLimit() <= 0) {
                    resources.putObject("pids").put("limit", -1); // runc's "max"; 0 would mean "unchanged"
                }
                try {
                    tasks.update(namespace, c.id(), Any.newBuilder().setTypeUrl(RESOURCES_TYPE_URL)
                            .setValue(ByteString.copyFrom(DockerJson.write(resources))).build(), Map.of());
                } catch (BerthException e) {
                    throw new BerthException(e.kind(), "Cannot update container " + c.id() + ": " + e.getMessage(),
                            e);
                }
            }
            db.containers(namespace).update(record.toBuilder().spec(new AnyValue(Engine.SPEC_TYPE_URL, spec))
                    .build(), Set.of("spec"));
            EngineContainer updated = c.withHostConfig(merged);
            engine.save(namespace, updated);
            return updated;
        });
        events.container(namespace, "update", done, Map.of());
        return warnings;
    }

    /** docker's {@code verifyPlatformContainerResources} for an update: its errors, its warnings. */
    HostConfig verify(HostConfig r, List<String> warnings) {
        long memory = value(r.memory());
        long swap = value(r.memorySwap());
        long reservation = value(r.memoryReservation());
        if (memory != 0 && memory < MIN_MEMORY) {
            throw BerthException.invalidArgument("Minimum memory limit allowed is 6MB");
        }
        if (memory > 0 && swap > 0 && swap < memory) {
            throw BerthException.invalidArgument("Minimum memoryswap limit should be larger than memory limit, see "
                    + "usage");
        }
        HostConfig.Builder b = r.toBuilder();
        if (swap > 0 && !host.swapLimit()) {
            warnings.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                    + "Memory limited without swap.");
            b.memorySwap(-1L);
        }
        if (reservation > 0 && reservation < MIN_MEMORY) {
            throw BerthException.invalidArgument("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw BerthException.invalidArgument("Minimum memory limit can not be less than memory reservation "
                    + "limit, see usage");
        }
        long nanoCpus = value(r.nanoCpus());
        if (nanoCpus < 0 || nanoCpus > (long) host.cpus() * 1_000_000_000L) {
            throw BerthException.invalidArgument("Range of CPUs is from 0.01 to " + host.cpus() + ".00, as there "
                    + "are only " + host.cpus() + " CPUs available");
        }
        int weight = r.blkioWeight() == null ? 0 : r.blkioWeight();
        if (weight > 0 && (weight < 10 || weight > 1000)) {
            throw BerthException.invalidArgument("Range of blkio weight is from 10 to 1000");
        }
        long period = value(r.cpuPeriod());
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw BerthException.invalidArgument("CPU cfs period can not be less than 1ms (i.e. 1000) or larger "
                    + "than 1s (i.e. 1000000)");
        }
        long quota = value(r.cpuQuota());
        if (quota > 0 && quota < 1000) {
            throw BerthException.invalidArgument("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        return b.build();
    }

    /** docker's {@code container.UpdateContainer}: the request over the current HostConfig, with its conflicts. */
    static HostConfig merge(String id, HostConfig current, HostConfig r) {
        String prefix = "Cannot update container " + id + ": ";
        if (value(r.nanoCpus()) > 0 && value(current.cpuPeriod()) > 0) {
            throw BerthException.invalidArgument(prefix + "Conflicting options: Nano CPUs cannot be updated as CPU "
                    + "Period has already been set");
        }
        if (value(r.nanoCpus()) > 0 && value(current.cpuQuota()) > 0) {
            throw BerthException.invalidArgument(prefix + "Conflicting options: Nano CPUs cannot be updated as CPU "
                    + "Quota has already been set");
        }
        if (value(r.cpuPeriod()) > 0 && value(current.nanoCpus()) > 0) {
            throw BerthException.invalidArgument(prefix + "Conflicting options: CPU Period cannot be updated as "
                    + "NanoCPUs has already been set");
        }
        if (value(r.cpuQuota()) > 0 && value(current.nanoCpus()) > 0) {
            throw BerthException.invalidArgument(prefix + "Conflicting options: CPU Quota cannot be updated as "
                    + "NanoCPUs has already been set");
        }
        HostConfig.Builder b = current.toBuilder();
        if (r.blkioWeight() != null && r.blkioWeight() != 0) {
            b.blkioWeight(r.blkioWeight());
        }
        if (value(r.cpuShares()) != 0) {
            b.cpuShares(r.cpuShares());
        }
        if (value(r.nanoCpus()) != 0) {
            b.nanoCpus(r.nanoCpus());
        }
        if (value(r.cpuPeriod()) != 0) {
            b.cpuPeriod(r.cpuPeriod());
        }
        if (value(r.cpuQuota()) != 0) {
            b.cpuQuota(r.cpuQuota());
        }
        if (r.cpusetCpus() != null && !r.cpusetCpus().isEmpty()) {
            b.cpusetCpus(r.cpusetCpus());
        }
        if (r.cpusetMems() != null && !r.cpusetMems().isEmpty()) {
            b.cpusetMems(r.cpusetMems());
        }
        if (value(r.memory()) != 0) {
            long swapNow = value(current.memorySwap());
            if (swapNow > 0 && r.memory() > swapNow && value(r.memorySwap()) == 0) {
                throw BerthException.invalidArgument(prefix + "Memory limit should be smaller than already set "
                        + "memoryswap limit, update the memoryswap at the same time");
            }
            b.memory(r.memory());
        }
        if (value(r.memorySwap()) != 0) {
            b.memorySwap(r.memorySwap());
        }
        if (value(r.memoryReservation()) != 0) {
            b.memoryReservation(r.memoryReservation());
        }
        if (value(r.cpuRealtimePeriod()) != 0) {
            b.cpuRealtimePeriod(r.cpuRealtimePeriod());
        }
        if (value(r.cpuRealtimeRuntime()) != 0) {
            b.cpuRealtimeRuntime(r.cpuRealtimeRuntime());
        }
        if (r.pidsLimit() != null) {
            b.pidsLimit(r.pidsLimit());
        }
        RestartPolicy policy = r.restartPolicy();
        if (policy != null && policy.name() != null && !policy.name().isEmpty()) {
            if (Boolean.TRUE.equals(current.autoRemove()) && !policy.name().equals("no")) {
                throw BerthException.invalidArgument(prefix + "Restart policy cannot be updated because AutoRemove "
                        + "is enabled for the container");
            }
            b.restartPolicy(policy);
        }
        HostConfig merged = b.build();
        Restarts.validate(merged);
        return merged;
    }

    /** The spec with {@code resources} in place of its memory, cpu, pids and blockIO (its devices kept). */
    static byte[] withResources(byte[] spec, ObjectNode resources) {
        JsonNode doc = DockerJson.read(spec, JsonNode.class, "container spec");
        if (!(doc instanceof ObjectNode root)) {
            throw BerthException.internal("update container: the spec is not a JSON object");
        }
        ObjectNode linux = root.has("linux") ? (ObjectNode) root.get("linux") : root.putObject("linux");
        ObjectNode target = linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
        for (String k : List.of("memory", "cpu", "pids", "blockIO")) {
            target.remove(k);
        }
        resources.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue().deepCopy()));
        return DockerJson.write(root);
    }

    private static long value(Long v) {
        return v == null ? 0 : v;
    }
}
