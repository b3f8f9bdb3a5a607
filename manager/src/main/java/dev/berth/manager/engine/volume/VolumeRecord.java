package dev.berth.manager.engine.volume;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.model.DockerJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The engine's document for one volume in {@code engine_volumes}: what docker's local driver and volume store keep
 * (labels, driver options, creation time) and whether the engine made it for one container (anonymous: removed by
 * {@code rm -v}). The mount point is not stored: it follows from the volumes root.
 */
record VolumeRecord(@JsonProperty("Name") String name,
                    @JsonProperty("Driver") String driver,
                    @JsonProperty("Labels") Map<String, String> labels,
                    @JsonProperty("Options") Map<String, String> options,
                    @JsonProperty("CreatedAt") String createdAt,
                    @JsonProperty("Anonymous") boolean anonymous) {

    VolumeRecord {
        labels = labels == null || labels.isEmpty() ? null : Map.copyOf(labels);
        options = options == null || options.isEmpty() ? null : Map.copyOf(options);
    }

    String json() {
        return new String(DockerJson.write(this), StandardCharsets.UTF_8);
    }

    static VolumeRecord parse(String json) {
        return DockerJson.read(json.getBytes(StandardCharsets.UTF_8), VolumeRecord.class, "volume record");
    }
}
