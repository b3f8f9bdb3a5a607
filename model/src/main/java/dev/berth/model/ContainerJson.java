package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * docker's container inspect document ({@code ContainerJSON} of the Docker API, {@code docker inspect}). {@code
 * Name} has docker's leading slash; {@code NetworkSettings} is a placeholder the networking work fills.
 */
public record ContainerJson(@JsonProperty("Id") String id,
                            @JsonProperty("Created") String created,
                            @JsonProperty("Path") String path,
                            @JsonProperty("Args") List<String> args,
                            @JsonProperty("State") ContainerState state,
                            @JsonProperty("Image") String image,
                            @JsonProperty("ResolvConfPath") String resolvConfPath,
                            @JsonProperty("HostnamePath") String hostnamePath,
                            @JsonProperty("HostsPath") String hostsPath,
                            @JsonProperty("LogPath") String logPath,
                            @JsonProperty("Name") String name,
                            @JsonProperty("RestartCount") int restartCount,
                            @JsonProperty("Driver") String driver,
                            @JsonProperty("Platform") String platform,
                            @JsonProperty("MountLabel") String mountLabel,
                            @JsonProperty("ProcessLabel") String processLabel,
                            @JsonProperty("AppArmorProfile") String appArmorProfile,
                            @JsonProperty("ExecIDs") List<String> execIds,
                            @JsonProperty("HostConfig") HostConfig hostConfig,
                            @JsonProperty("Mounts") List<MountPoint> mounts,
                            @JsonProperty("Config") ContainerConfig config,
                            @JsonProperty("NetworkSettings") Map<String, Object> networkSettings) {
    public ContainerJson {
        args = Copies.list(args);
        execIds = Copies.list(execIds);
        mounts = Copies.list(mounts);
        networkSettings = Copies.map(networkSettings);
    }
}
