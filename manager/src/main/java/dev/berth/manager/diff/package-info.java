/**
 * Layers: applying a layer tar onto a snapshot ({@link dev.berth.manager.diff.LayerApplier}, containerd's
 * {@code diff.Applier}) and computing one from two snapshots ({@link dev.berth.manager.diff.LayerComputer},
 * containerd's {@code diff.Comparer}), with their own tar reader and writer, OCI whiteouts and overlay's whiteout
 * format, and the {@link dev.berth.manager.diff.Mounter} seam for snapshots that must be mounted first.
 *
 * <p>Whiteouts (OCI image spec, "Whiteouts"): {@code dir/.wh.name} deletes {@code dir/name} of the lower layers;
 * {@code dir/.wh..wh..opq} hides every lower entry of {@code dir}. In an overlay upperdir they are written as
 * overlay writes them: a character device 0:0 and the xattr {@code trusted.overlay.opaque=y}.
 */
package dev.berth.manager.diff;
