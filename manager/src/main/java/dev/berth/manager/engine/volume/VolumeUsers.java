package dev.berth.manager.engine.volume;

import java.io.IOException;
import java.util.List;

/** Who uses a volume: the engine's containers (any state) whose mounts name it. The engine implements it. */
public interface VolumeUsers {

    /** The ids of the containers of {@code namespace} that mount the volume {@code volume}, empty if none. */
    List<String> containersUsing(String namespace, String volume) throws IOException;
}
