package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One element of docker's container inspect {@code Mounts}: {@code Type} bind, volume or tmpfs; {@code Name} and
 * {@code Driver} for volumes only; {@code Mode} the mode string as given ("z" for a volume by default);
 * {@code Propagation} "rprivate" for binds, empty for volumes.
 */
public record MountPoint(@JsonProperty("Type") String type,
                         @JsonProperty("Name") String name,
                         @JsonProperty("Source") String source,
                         @JsonProperty("Destination") String destination,
                         @JsonProperty("Driver") String driver,
                         @JsonProperty("Mode") String mode,
                         @JsonProperty("RW") boolean rw,
                         @JsonProperty("Propagation") String propagation) {
}
