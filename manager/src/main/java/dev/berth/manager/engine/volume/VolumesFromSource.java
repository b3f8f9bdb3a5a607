package dev.berth.manager.engine.volume;

import java.io.IOException;
import java.util.List;

/** The mounts of another container, for {@code --volumes-from}. The engine implements it. */
public interface VolumesFromSource {

    /**
     * The resolved mounts of {@code container} (a name, an id or an id prefix) in {@code namespace}; NOT_FOUND
     * when there is no such container.
     */
    List<ContainerMount> mountsOf(String namespace, String container) throws IOException;
}
