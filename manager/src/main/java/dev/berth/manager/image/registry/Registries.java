package dev.berth.manager.image.registry;

import dev.berth.manager.image.reference.ImageReference;
import java.util.Optional;

/** Gives the registry client for a reference's host: its endpoint, mirrors, credentials and transport. */
@FunctionalInterface
public interface Registries {

    /**
     * The client for {@code ref}'s registry; {@code credentials}, when given, replace berthd's own for the registry
     * itself (not its mirrors) in this client only, which nothing else shares or keeps.
     */
    Registry forHost(ImageReference ref, Optional<Credentials> credentials);

    /** The client for {@code ref}'s registry with berthd's own credentials. */
    default Registry forHost(ImageReference ref) {
        return forHost(ref, Optional.empty());
    }
}
