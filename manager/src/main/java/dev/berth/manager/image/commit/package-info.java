/**
 * A container's changes to a new image, as {@code docker commit}: {@link dev.berth.manager.image.commit.ContainerCommit}
 * pauses the task when asked, {@link dev.berth.manager.image.commit.ImageCommitter} writes the layer (the differ's
 * compare), the config ({@code ConfigChanges} applies {@code --change}) and the manifest, and unpacks the new layer.
 */
package dev.berth.manager.image.commit;
