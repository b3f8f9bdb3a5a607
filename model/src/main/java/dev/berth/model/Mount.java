package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A {@code --mount} (HostConfig.Mounts): {@code Type} "bind", "volume" or "tmpfs"; {@code Source} a host path, a
 * volume name (empty for an anonymous volume) or nothing for tmpfs.
 */
public record Mount(@JsonProperty("Type") String type,
                    @JsonProperty("Source") String source,
                    @JsonProperty("Target") String target,
                    @JsonProperty("ReadOnly") Boolean readOnly,
                    @JsonProperty("Consistency") String consistency,
                    @JsonProperty("BindOptions") BindOptions bindOptions,
                    @JsonProperty("VolumeOptions") VolumeOptions volumeOptions,
                    @JsonProperty("TmpfsOptions") TmpfsOptions tmpfsOptions) {

    /** {@code Propagation}: private, rprivate (default), shared, rshared, slave, rslave. */
    public record BindOptions(@JsonProperty("Propagation") String propagation,
                              @JsonProperty("NonRecursive") Boolean nonRecursive,
                              @JsonProperty("CreateMountpoint") Boolean createMountpoint) {
    }

    /** {@code NoCopy}: do not populate an empty volume from the image (docker's copy-up). */
    public record VolumeOptions(@JsonProperty("NoCopy") Boolean noCopy,
                                @JsonProperty("Labels") Map<String, String> labels,
                                @JsonProperty("DriverConfig") DriverConfig driverConfig) {
        public VolumeOptions {
            labels = labels == null ? null : Map.copyOf(labels);
        }
    }

    public record DriverConfig(@JsonProperty("Name") String name,
                               @JsonProperty("Options") Map<String, String> options) {
        public DriverConfig {
            options = options == null ? null : Map.copyOf(options);
        }
    }

    /** {@code SizeBytes} (0 for the kernel's default, half of RAM) and {@code Mode} (octal, e.g. 01777). */
    public record TmpfsOptions(@JsonProperty("SizeBytes") Long sizeBytes, @JsonProperty("Mode") Integer mode) {
    }
}
