package dev.berth.manager.engine.volume;

/**
 * Where the volume service reports docker's volume events {@code create} and {@code destroy} (the engine reports
 * {@code mount} and {@code unmount} with the container's start and exit).
 */
@FunctionalInterface
public interface VolumeEvents {
    /** Reports nothing. */
    VolumeEvents NONE = (namespace, action, name) -> { };

    /** Volume {@code name} of {@code namespace} was created or destroyed ({@code action}). */
    void volume(String namespace, String action, String name);
}
