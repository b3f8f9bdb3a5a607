package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code --device}: a host device node, its path in the container and cgroup permissions ("rwm"). */
public record DeviceMapping(@JsonProperty("PathOnHost") String pathOnHost,
                            @JsonProperty("PathInContainer") String pathInContainer,
                            @JsonProperty("CgroupPermissions") String cgroupPermissions) {
}
