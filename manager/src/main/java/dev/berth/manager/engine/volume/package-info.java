/**
 * The engine's volumes and mounts: named and anonymous volumes under {@code <root>/volumes/<name>/_data} (their
 * records in the metadata database), the resolution of a container's binds, volumes, tmpfs and
 * {@code --volumes-from} into {@link dev.berth.manager.engine.volume.ContainerMount}s, docker's copy-up of image
 * content into an empty volume, and the in-use rule.
 */
package dev.berth.manager.engine.volume;
