package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One row of docker's container list ({@code ContainerSummary}, {@code docker ps}): {@code Names} with leading
 * slashes, {@code Command} the joined path and arguments, {@code State} the status word and {@code Status} docker's
 * human text ("Up 3 seconds", "Exited (1) 2 minutes ago", "Created").
 */
public record ContainerSummary(@JsonProperty("Id") String id,
                               @JsonProperty("Names") List<String> names,
                               @JsonProperty("Image") String image,
                               @JsonProperty("ImageID") String imageId,
                               @JsonProperty("Command") String command,
                               @JsonProperty("Created") long created,
                               @JsonProperty("Ports") List<Map<String, Object>> ports,
                               @JsonProperty("SizeRw") Long sizeRw,
                               @JsonProperty("SizeRootFs") Long sizeRootFs,
                               @JsonProperty("Labels") Map<String, String> labels,
                               @JsonProperty("State") String state,
                               @JsonProperty("Status") String status,
                               @JsonProperty("HostConfig") Map<String, String> hostConfig,
                               @JsonProperty("NetworkSettings") Map<String, Object> networkSettings,
                               @JsonProperty("Mounts") List<MountPoint> mounts) {
    public ContainerSummary {
        names = Copies.list(names);
        ports = Copies.list(ports);
        labels = Copies.map(labels);
        hostConfig = Copies.map(hostConfig);
        networkSettings = Copies.map(networkSettings);
        mounts = Copies.list(mounts);
    }
}
