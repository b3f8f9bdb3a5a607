package dev.berth.manager.engine.spec;

import dev.berth.manager.engine.volume.ContainerMount;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SpecBuilder#build} makes a container's OCI spec from.
 *
 * @param namespace the containerd namespace (the default cgroups path is {@code /<namespace>/<id>})
 * @param id the container's id (its first 12 characters are the default hostname)
 * @param name the container's name, without docker's leading slash
 * @param config the merged configuration ({@link SpecBuilder#merge} of the image's and the run's)
 * @param host the run's host configuration
 * @param mounts the container's resolved binds, volumes and tmpfs
 * @param rootfs the container's root filesystem, mounted: users and groups are read from its /etc, and a missing
 *     working directory is created in it (as docker does)
 * @param containerDir the engine's per-container directory, where the spec writes {@code hostname}, {@code hosts}
 *     and {@code resolv.conf} and from where it bind-mounts them
 * @param networkNamespace the netns the container joins (its sandbox's mount, or another container's for {@code
 *     container:ID}); empty: a new private one, or the host's with {@code --network host}
 */
public record SpecRequest(String namespace, String id, String name, ContainerConfig config, HostConfig host,
                          List<ContainerMount> mounts, Path rootfs, Path containerDir, Optional<Path> networkNamespace) {

    /** A request whose container gets a new private network namespace (or the host's). */
    public SpecRequest(String namespace, String id, String name, ContainerConfig config, HostConfig host,
                       List<ContainerMount> mounts, Path rootfs, Path containerDir) {
        this(namespace, id, name, config, host, mounts, rootfs, containerDir, Optional.empty());
    }

    public SpecRequest {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(containerDir, "containerDir");
        name = name == null ? "" : name;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        networkNamespace = networkNamespace == null ? Optional.empty() : networkNamespace;
    }
}
