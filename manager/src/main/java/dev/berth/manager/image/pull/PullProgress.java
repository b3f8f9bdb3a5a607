package dev.berth.manager.image.pull;

import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.reference.ImageReference;

/**
 * What a pull reports as it goes, per descriptor (the index, manifest, config and each layer), so that the
 * transfer service can stream it to a client. Methods are called from the pulling thread and from download
 * threads at once: implementations must be thread-safe and quick (no I/O that can block the pull for long).
 * Every method does nothing by default.
 *
 * <p>Per blob: {@code waiting} (queued) → {@code downloading(offset, total)}, repeatedly, the first call giving
 * the offset a resumed download starts from → {@code done} (committed and verified); or {@code exists} (already in
 * the content store, not fetched). Per layer, when unpacking: {@code extracting} → {@code unpacked}, or
 * {@code unpacked} alone when its chain's snapshot already existed.
 */
public interface PullProgress {

    PullProgress NONE = new PullProgress() {
    };

    /** Resolving the reference to its index or manifest. */
    default void resolving(ImageReference ref) {
    }

    /** The reference resolved to {@code target}. */
    default void resolved(ImageReference ref, Descriptor target) {
    }

    default void waiting(Descriptor blob) {
    }

    default void downloading(Descriptor blob, long offset, long total) {
    }

    default void done(Descriptor blob) {
    }

    default void exists(Descriptor blob) {
    }

    default void extracting(Descriptor layer) {
    }

    /** The layer's snapshot {@code chainId} is committed (now, or by an earlier pull). */
    default void unpacked(Descriptor layer, String chainId) {
    }
}
