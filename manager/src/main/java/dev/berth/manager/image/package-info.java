/**
 * Images: references ({@link dev.berth.manager.image.ImageReference}), and (in subpackages) the image format
 * ({@code oci}) and the registry client ({@code registry}); pulling, pushing, import, export and commit build on
 * the content store, the snapshotters, the layer code and the metadata.
 */
package dev.berth.manager.image;
