package dev.berth.manager.engine;

import dev.berth.manager.engine.volume.VolumeUsers;
import dev.berth.manager.metadata.EngineRecord;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.model.DockerJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The engine's containers as users of volumes: every container, in any state, whose mounts name the volume. */
public final class ContainerVolumeUsers implements VolumeUsers {
    private final MetadataDb db;

    public ContainerVolumeUsers(MetadataDb db) {
        this.db = db;
    }

    @Override
    public List<String> containersUsing(String namespace, String volume) throws IOException {
        List<String> out = new ArrayList<>();
        for (EngineRecord r : db.engineContainers(namespace).list()) {
            EngineContainer c = DockerJson.read(r.json().getBytes(StandardCharsets.UTF_8), EngineContainer.class,
                    "container record " + r.key());
            if (c.mounts().stream().anyMatch(m -> m.type().equals("volume") && m.name().equals(volume))) {
                out.add(c.id());
            }
        }
        return out;
    }
}
