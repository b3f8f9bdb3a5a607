/**
 * Images: references ({@link dev.berth.manager.image.reference.ImageReference}), and (in subpackages) the image format
 * ({@code oci}) and the registry client ({@code registry}); pulling ({@link dev.berth.manager.image.ImagePuller}),
 * pushing ({@link dev.berth.manager.image.ImagePusher}), import and export of archives
 * ({@link dev.berth.manager.image.ImageImporter}, {@link dev.berth.manager.image.ImageExporter}) and commit (a
 * container's changes to a new image, {@link dev.berth.manager.image.ImageCommitter}) build on the content store,
 * the snapshotters, the layer code and the metadata.
 *
 * <p>What a pull or an import leaves, as containerd's client does (so that {@code ctr} reads it and garbage
 * collection keeps exactly what an image needs):
 * <pre>
 * image record  name = normalized reference, target = index or manifest
 *   index      labels containerd.io/gc.ref.content.m.&lt;i&gt; = its manifests
 *   manifest   labels containerd.io/gc.ref.content.config, containerd.io/gc.ref.content.l.&lt;i&gt;
 *   config     label  containerd.io/gc.ref.snapshot.&lt;snapshotter&gt; = top chain ID (when unpacked)
 *   every blob label  containerd.io/distribution.source.&lt;host&gt; = repo[,repo…] (push mounts from there)
 *   layer blob label  containerd.io/uncompressed = diffID
 * snapshots    committed, named by chain ID, parent = previous chain ID, label containerd.io/snapshot.ref
 * ingests      layer-&lt;digest&gt;, manifest-&lt;digest&gt;, index-&lt;digest&gt;, config-&lt;digest&gt; (resumable)
 * </pre>
 */
package dev.berth.manager.image;
