/**
 * Images: references ({@link dev.berth.manager.image.ImageReference}), and (in subpackages) the image format
 * ({@code oci}) and the registry client ({@code registry}); pulling, pushing, import, export and commit build on
 * the content store, the snapshotters, the layer code and the metadata.
 *
 * <p>Archives: {@link dev.berth.manager.image.ImageImporter} (OCI image layout or {@code docker save} archive in),
 * {@link dev.berth.manager.image.ImageExporter} (either format out), {@link dev.berth.manager.image.ImageCommitter}
 * (a container's changes to a new image). Shared by them and the puller: {@link dev.berth.manager.image.Unpacker}
 * (layers onto chain-ID snapshots), {@link dev.berth.manager.image.ManifestResolver} (target → platform manifest
 * and config) and {@link dev.berth.manager.image.ChildLabels} (the gc labels that tie an image's blobs together).
 */
package dev.berth.manager.image;
