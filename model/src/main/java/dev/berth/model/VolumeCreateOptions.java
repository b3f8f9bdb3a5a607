package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * docker's volume create body ({@code VolumeCreateBody} in API 1.41): an empty or absent {@code Name} asks for a
 * generated 64-hex name; {@code Driver} only "local" (absent means "local").
 */
public record VolumeCreateOptions(@JsonProperty("Name") String name,
                                  @JsonProperty("Driver") String driver,
                                  @JsonProperty("DriverOpts") Map<String, String> driverOpts,
                                  @JsonProperty("Labels") Map<String, String> labels) {
    public VolumeCreateOptions {
        driverOpts = Copies.map(driverOpts);
        labels = Copies.map(labels);
    }

    /** A local volume named {@code name} with {@code labels}. */
    public static VolumeCreateOptions named(String name, Map<String, String> labels) {
        return new VolumeCreateOptions(name, "local", null, labels);
    }
}
