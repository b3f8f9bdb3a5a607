package dev.berth.manager.network;

/** The engine's answer to "does this container still exist?", for the reconciliation at start. */
@FunctionalInterface
public interface KnownContainers {
    boolean known(String namespace, String containerId);
}
