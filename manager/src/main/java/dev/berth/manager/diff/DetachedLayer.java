package dev.berth.manager.diff;

import java.util.List;

/**
 * A layer applied without its lower layers ({@link LayerApplier#applyDetached}).
 *
 * @param applied             its digests and sizes
 * @param unlistedDirectories the directories it used without listing them, relative to the layer's root, parents
 *                            first: an apply onto the lower layers gives them the metadata of the same directory
 *                            below, which {@link LayerApplier#adoptLowerMetadata} does once those are known
 */
public record DetachedLayer(AppliedLayer applied, List<String> unlistedDirectories) {

    public DetachedLayer {
        unlistedDirectories = List.copyOf(unlistedDirectories);
    }
}
