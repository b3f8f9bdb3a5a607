package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** docker's volume list answer: {@code {"Volumes": [...], "Warnings": []}}. */
public record VolumeList(@JsonProperty("Volumes") List<Volume> volumes,
                         @JsonProperty("Warnings") List<String> warnings) {
    public VolumeList {
        volumes = Copies.list(volumes);
        warnings = Copies.list(warnings);
    }
}
