package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.CreateVolumeRequest;
import dev.berth.api.services.engine.v1.ListVolumesRequest;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.RemoveVolumeRequest;
import dev.berth.api.services.engine.v1.VolumeRef;
import java.util.List;
import java.util.Map;

/** docker's named volumes (driver {@code local}): create, inspect, list, remove, prune. */
public final class Volumes {
    private final Stubs stubs;

    Volumes(Stubs stubs) {
        this.stubs = stubs;
    }

    /** Creates volume {@code name} (empty for a generated one); docker's Volume JSON. */
    public JsonNode create(String name, Map<String, String> driverOptions, Map<String, String> labels) {
        return Calls.json(Calls.call(() -> stubs.volumes().create(CreateVolumeRequest.newBuilder()
                .setName(name == null ? "" : name).setDriver("local").putAllDriverOpts(driverOptions)
                .putAllLabels(labels).build())));
    }

    public JsonNode inspect(String name) {
        return Calls.json(Calls.call(() -> stubs.volumes().inspect(VolumeRef.newBuilder().setName(name).build())));
    }

    /** docker's {@code {"Volumes": [...], "Warnings": [...]}}; filters name, label, dangling, driver. */
    public JsonNode list(Map<String, List<String>> filters) {
        return Calls.json(Calls.call(() -> stubs.volumes().list(ListVolumesRequest.newBuilder()
                .putAllFilters(Calls.filters(filters)).build())));
    }

    /** Removes a volume; one in use is refused (FAILED_PRECONDITION) unless {@code force}. */
    public void remove(String name, boolean force) {
        Calls.call(() -> stubs.volumes().remove(RemoveVolumeRequest.newBuilder().setName(name).setForce(force)
                .build()));
    }

    /** Removes the volumes no container uses (docker: anonymous ones unless the filter {@code all=true}). */
    public Results.Pruned prune(Map<String, List<String>> filters) {
        PruneResponse r = Calls.call(() -> stubs.volumes().prune(PruneRequest.newBuilder()
                .putAllFilters(Calls.filters(filters)).build()));
        return new Results.Pruned(List.copyOf(r.getDeletedList()), r.getSpaceReclaimed());
    }
}
