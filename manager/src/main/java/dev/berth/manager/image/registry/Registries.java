package dev.berth.manager.image.registry;

import dev.berth.manager.image.reference.ImageReference;

/** Gives the registry client for a reference's host: its endpoint, mirrors, credentials and transport. */
@FunctionalInterface
public interface Registries {
    Registry forHost(ImageReference ref);
}
