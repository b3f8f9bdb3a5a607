/**
 * Images: the core every image flow shares, with one subpackage per flow over it.
 *
 * <p>The package map (each uses only what its line names; no cycles):
 * <pre>
 * image.oci        the image format: index, manifest, config, descriptors, platforms   : content (Descriptor, Digest)
 * image.reference  ImageReference, docker-style names normalized                          : content (Digest)
 * image.registry   the OCI distribution client (Registry, Registries, RegistryHosts)     : oci, reference, content
 * image (core)     Unpacker (the one unpacker) fed by a LayerSource; ChainIds (the one     : oci, reference, content,
 *                  chain-ID computation); ImageLabels (containerd's labels); ChunkQueue      diff, snapshot, metadata
 *                  (the bounded hand-over read as an InputStream); ContentBlobs (the JSON
 *                  blobs); ManifestResolver, ResolvedImage (an image for one platform);
 *                  TemporaryLease (the lease a pull, import or commit writes under)
 * image.pull       ImagePuller: registry → content store → Unpacker (LayerDownloads is the : core, registry, metadata
 *                  LayerSource, streaming each layer to it while it downloads)
 * image.push       ImagePusher: content store → registry (mount or upload, then manifests) : core, registry, metadata
 * image.archive    ImageImporter (archive → content store → Unpacker), ImageExporter        : core, diff, metadata
 *                  (content store → OCI layout or docker-save tar)
 * image.commit     ImageCommitter, ContainerCommit: a container's diff → layer, config,     : core, diff, metadata
 *                  manifest → Unpacker
 * </pre>
 * The transfer service ({@code service.transfer}) is a thin adapter over the four flows.
 *
 * <p>The flows, each under a lease of its own (deleted at the end, so a failed flow leaves nothing the lease held):
 * <pre>
 * pull    resolve → index (the platform's manifest) → manifest → config → layers downloaded in parallel, each
 *         unpacked as it arrives, several at once on overlay (one per core), committed in order → image record;
 *         the first failure is the pull's (a sibling download it cancelled never replaces it);
 *         PullOptions.maxUnpackedBytes bounds the inflated bytes
 * import  archive streamed once into the content store → (docker: a schema 2 manifest written) → for each image
 *         resolve, check complete, label, unpack → image records
 * commit  view of the image's top chain vs the container's snapshot → gzip layer → config + manifest → unpack
 *         (the new layer only) → image record
 * push    every blob the registry lacks, mounted from its source repository or uploaded → manifests → index
 * export  blobs as stored (OCI) or layers uncompressed (docker) into a tar
 * </pre>
 *
 * <p>What a pull, an import or a commit leaves, as containerd's client does (so that {@code ctr} reads it and garbage
 * collection keeps exactly what an image needs):
 * <pre>
 * image record  name = normalized reference, target = index or manifest
 *   index      labels containerd.io/gc.ref.content.m.&lt;i&gt; = its manifests (a pull: the platform's only)
 *   manifest   labels containerd.io/gc.ref.content.config, containerd.io/gc.ref.content.l.&lt;i&gt;
 *   config     label  containerd.io/gc.ref.snapshot.&lt;snapshotter&gt; = top chain ID (when unpacked; clients read it
 *                     to find the snapshot to prepare a container on)
 *   every blob label  containerd.io/distribution.source.&lt;host&gt; = repo[,repo…] (pulled or pushed; push mounts
 *                     from there)
 *   layer blob label  containerd.io/uncompressed = diffID
 * snapshots    committed, named by chain ID, parent = previous chain ID, label containerd.io/snapshot.ref = chain ID;
 *              while a layer is applied: active extract-&lt;random hex&gt;-&lt;chain ID hex&gt; (removed if it fails;
 *              prepared without a parent and committed onto the chain below when applied in parallel); rarely,
 *              for a moment, a view &lt;that key&gt;-lowers of the chain below (to find the metadata of directories
 *              the layer did not list when another unpack committed a layer below it)
 * ingests      pull: layer-&lt;digest&gt;, manifest-&lt;digest&gt;, index-&lt;digest&gt;, config-&lt;digest&gt; (resumable,
 *              not leased, so the next pull of the blob resumes it); import: import-&lt;lease&gt;-&lt;n&gt;
 * </pre>
 */
package dev.berth.manager.image;
