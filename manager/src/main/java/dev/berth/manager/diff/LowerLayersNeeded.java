package dev.berth.manager.diff;

import java.io.IOException;

/**
 * A layer applied without its lower layers ({@link ApplyOptions.Whiteouts#DETACHED_UPPER}) turned out to need their
 * contents (a hard link to a file below it): the caller discards what was written and applies the layer again on
 * top of its parent. Not a failure of the layer: it is a valid layer that this shortcut cannot take.
 */
public final class LowerLayersNeeded extends IOException {

    LowerLayersNeeded(String message) {
        super(message);
    }
}
