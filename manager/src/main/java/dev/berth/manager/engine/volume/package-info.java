/**
 * The engine's volumes and mounts: docker's local volumes ({@link dev.berth.manager.engine.volume.Volumes}) of
 * each namespace, the resolution of a container's binds, {@code --mount}s, tmpfs, {@code --volumes-from} and the
 * image's {@code VOLUME}s into {@link dev.berth.manager.engine.volume.ContainerMount}s with docker's syntax,
 * precedence and errors, docker's copy-up of image content into an empty volume, and the in-use rule. The engine
 * supplies who uses a volume ({@link dev.berth.manager.engine.volume.VolumeUsers}) and another container's mounts
 * ({@link dev.berth.manager.engine.volume.VolumesFromSource}).
 * {@link dev.berth.manager.engine.volume.ContainerArchive} is docker's {@code cp}: stat, tar and extract container
 * paths through the rootfs and the mounts, every path resolved in the container's scope.
 *
 * <p>On disk, under the volumes root ({@code <root>/volumes}, 0700):
 * <pre>
 * &lt;namespace&gt;/&lt;name&gt;/_data        the volume's content, what containers mount (0755 when created empty)
 * &lt;namespace&gt;/&lt;name&gt;/.copy-up     a copy-up in progress (renamed to _data when complete; removed at recovery)
 * </pre>
 * and one record per volume in {@code engine_volumes} (migration 0002): labels, options, creation time, anonymous.
 */
package dev.berth.manager.engine.volume;
