package dev.berth.manager.service.images;

import dev.berth.manager.metadata.ImageStore;

/** A namespace's images (the metadata layer: {@code MetadataDb::images}). */
@FunctionalInterface
public interface ImageStores {
    ImageStore open(String namespace);
}
