package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.CreateVolumeRequest;
import dev.berth.api.services.engine.v1.ListVolumesRequest;
import dev.berth.api.services.engine.v1.PruneRequest;
import dev.berth.api.services.engine.v1.PruneResponse;
import dev.berth.api.services.engine.v1.RemoveVolumeRequest;
import dev.berth.api.services.engine.v1.VolumeRef;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /volumes…}: list, create, inspect, remove, prune, the engine's Volume JSON passed through. */
final class VolumeEndpoints {

    private final Stubs stubs;

    VolumeEndpoints(Stubs stubs) {
        this.stubs = stubs;
    }

    void addTo(Router r) {
        r.add("GET", "/volumes", c -> c.json(200, stubs.volumes().list(ListVolumesRequest.newBuilder()
                        .putAllFilters(Filters.parse(c.query("filters"))).build()).getJson().toByteArray()))
                .add("POST", "/volumes/create", this::create)
                .add("POST", "/volumes/prune", this::prune)
                .add("GET", "/volumes/{name}", c -> c.json(200, stubs.volumes().inspect(VolumeRef.newBuilder()
                        .setName(c.param("name")).build()).getJson().toByteArray()))
                .add("DELETE", "/volumes/{name}", c -> {
                    stubs.volumes().remove(RemoveVolumeRequest.newBuilder().setName(c.param("name"))
                            .setForce(c.flag("force", false)).build());
                    c.status(204);
                });
    }

    private void create(ApiCall c) {
        JsonNode body = c.bodyJson();
        CreateVolumeRequest.Builder req = CreateVolumeRequest.newBuilder().setName(body.path("Name").asText(""))
                .setDriver(body.path("Driver").asText(""));
        body.path("DriverOpts").properties().forEach(e -> req.putDriverOpts(e.getKey(), e.getValue().asText()));
        body.path("Labels").properties().forEach(e -> req.putLabels(e.getKey(), e.getValue().asText()));
        c.json(201, stubs.volumes().create(req.build()).getJson().toByteArray());
    }

    private void prune(ApiCall c) {
        PruneResponse res = stubs.volumes().prune(PruneRequest.newBuilder()
                .putAllFilters(Filters.parse(c.query("filters"))).build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("VolumesDeleted", res.getDeletedList());
        out.put("SpaceReclaimed", res.getSpaceReclaimed());
        c.json(200, out);
    }
}
