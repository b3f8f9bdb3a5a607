package dev.berth.manager.engine.volume;

import dev.berth.model.MountPoint;
import java.util.List;
import java.util.Objects;

/**
 * One mount of a container as the engine resolved it from {@code -v}, {@code --mount}, {@code --tmpfs},
 * {@code --volumes-from} and the image's {@code VOLUME}s: what the OCI spec mounts and what docker's inspect
 * shows under {@code Mounts}.
 *
 * @param type "bind", "volume" or "tmpfs"
 * @param name the volume's name (type volume), else empty
 * @param source the host path mounted (a volume's {@code _data} directory, a bind's source), empty for tmpfs
 * @param destination the absolute path in the container
 * @param mode docker's mode string as given ("ro", "z", "rw,nocopy", …), empty if none
 * @param readWrite docker's {@code RW}
 * @param propagation docker's inspect {@code Propagation}: a bind's ("rprivate" unless given), empty for volumes and
 *                    tmpfs (the OCI options carry rprivate for volumes)
 * @param anonymous a volume the engine named (removed by {@code rm -v})
 * @param ociOptions the OCI mount options ({@code rbind}, {@code ro}, {@code nosuid}, {@code size=…}, …)
 */
public record ContainerMount(String type, String name, String source, String destination, String mode,
                             boolean readWrite, String propagation, boolean anonymous, List<String> ociOptions) {
    public ContainerMount {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(propagation, "propagation");
        ociOptions = List.copyOf(ociOptions);
    }

    /** docker's inspect {@code Mounts} element for this mount ({@code Driver} "local" for volumes). */
    public MountPoint mountPoint() {
        return new MountPoint(type, name.isEmpty() ? null : name, source, destination,
                type.equals("volume") ? "local" : null, mode, readWrite, propagation);
    }
}
