package dev.berth.manager.image;

import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Manifest;

/**
 * An image resolved for one platform: its manifest and config, with their descriptors.
 *
 * @param manifestDescriptor the manifest's descriptor (an entry of the index when the image is an index)
 * @param configDescriptor   the config's descriptor from the manifest
 */
public record ResolvedImage(Descriptor manifestDescriptor, Manifest manifest, Descriptor configDescriptor,
                            ImageConfig config) {

    /** Whether this is a Docker schema 2 image (else OCI): new blobs written for it use the same family. */
    public boolean isDocker() {
        return manifestDescriptor.mediaType().equals(dev.berth.manager.image.oci.MediaTypes.DOCKER_MANIFEST);
    }
}
