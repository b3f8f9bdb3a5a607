package dev.berth.manager.image.push;

import dev.berth.manager.content.Descriptor;

/**
 * What a push reports, per descriptor: {@code exists} (the registry has it), {@code mounted} (mounted from another
 * repository of the same registry), or {@code uploading(offset, total)} then {@code done}; manifests and indexes
 * go through {@code uploading} and {@code done} too. Thread-safe and quick, like {@link PullProgress}; every
 * method does nothing by default.
 */
public interface PushProgress {

    PushProgress NONE = new PushProgress() {
    };

    default void exists(Descriptor blob) {
    }

    default void mounted(Descriptor blob, String fromRepository) {
    }

    default void uploading(Descriptor blob, long offset, long total) {
    }

    default void done(Descriptor blob) {
    }
}
