package dev.berth.manager.image.push;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.content.ContentInfo;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.ContentBlobs;
import dev.berth.manager.image.ImageLabels;
import dev.berth.manager.image.oci.Index;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.oci.Platform;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.image.registry.Credentials;
import dev.berth.manager.image.registry.Registries;
import dev.berth.manager.image.registry.Registry;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pushes a local image to a registry (containerd's client {@code Push}, {@code remotes.PushContent}): every blob
 * the registry lacks is mounted from a repository of the same registry it came from (the
 * {@code containerd.io/distribution.source.<host>} label a pull sets) or else uploaded; then the manifests,
 * children before the index; the root last, under the target's tag. A pushed blob is labelled with its new
 * source, so later pushes can mount from there.
 *
 * <p>When the image is an index of which only some platforms' content is local (a pull takes one platform), the
 * index cannot be pushed as it is: the manifest of {@code platform} is pushed under the tag instead, as
 * {@code ctr push --platform} does.
 */
public final class ImagePusher {

    private static final Log LOG = Log.of(ImagePusher.class);

    private final Registries registries;
    private final MetadataDb metadata;

    public ImagePusher(Registries registries, MetadataDb metadata) {
        this.registries = registries;
        this.metadata = metadata;
    }

    /**
     * Pushes image {@code name} of {@code namespace} to {@code reference} (docker-style; its tag, or the digest
     * when it has none, names the pushed root) and returns the descriptor pushed as the root. {@code platform}
     * only matters for a partially local index (see the class comment). NOT_FOUND if the image or content it
     * needs is not local.
     */
    public Descriptor push(String namespace, String name, String reference, Platform platform,
                           PushProgress progress) throws IOException {
        return push(namespace, name, reference, platform, Optional.empty(), progress);
    }

    /** As {@link #push(String, String, String, Platform, PushProgress)}, with the registry's credentials for this push. */
    public Descriptor push(String namespace, String name, String reference, Platform platform,
                           Optional<Credentials> credentials, PushProgress progress) throws IOException {
        ImageRecord image = metadata.images(namespace).get(name);
        ImageReference dest = ImageReference.parse(reference);
        Registry registry = registries.forHost(dest, credentials);
        ContentStore content = metadata.contentStore(namespace, Optional.empty());
        Session s = new Session(registry, dest, content, progress);
        Descriptor root = image.target();
        if (MediaTypes.isIndex(root.mediaType())) {
            Index index = ContentBlobs.parse(root, Index.class, s.bytes(root));
            List<Descriptor> manifests = new ArrayList<>();
            for (OciDescriptor m : index.manifests() == null ? List.<OciDescriptor>of() : index.manifests()) {
                manifests.add(m.toDescriptor());
            }
            if (manifests.stream().allMatch(s::complete)) {
                for (Descriptor m : manifests) {
                    s.pushManifestTree(m, false);
                }
                s.pushDocument(root, true);
            } else {
                Descriptor chosen = index.manifests().stream().filter(m -> platform.matches(m.platform()))
                        .map(OciDescriptor::toDescriptor).filter(s::complete).findFirst()
                        .orElseThrow(() -> BerthException.notFound("push " + name + ": the content of platform "
                                + platform + " is not local"));
                s.pushManifestTree(chosen, true);
                root = chosen;
            }
        } else {
            s.pushManifestTree(root, true);
        }
        LOG.info("image pushed", "namespace", namespace, "image", name, "reference", dest, "root", root.digest());
        return root;
    }

    /** One push: the registry, the target, and what was already handled. */
    private final class Session {
        private final Registry registry;
        private final ImageReference dest;
        private final ContentStore content;
        private final PushProgress progress;
        private final Set<Digest> handled = new HashSet<>();

        Session(Registry registry, ImageReference dest, ContentStore content, PushProgress progress) {
            this.registry = registry;
            this.dest = dest;
            this.content = content;
            this.progress = progress;
        }

        /** Whether a manifest, its config and its layers are all local. */
        boolean complete(Descriptor manifest) {
            try {
                Manifest m = ContentBlobs.parse(manifest, Manifest.class, bytes(manifest));
                content.info(m.config().toDescriptor().digest());
                for (OciDescriptor l : m.layers() == null ? List.<OciDescriptor>of() : m.layers()) {
                    content.info(l.toDescriptor().digest());
                }
                return true;
            } catch (BerthException e) {
                if (e.kind() == ErrorKind.NOT_FOUND) {
                    return false;
                }
                throw e;
            } catch (IOException e) {
                throw BerthException.internal("push " + dest + ": read " + manifest.digest() + ": "
                        + e.getMessage());
            }
        }

        void pushManifestTree(Descriptor manifest, boolean tagged) throws IOException {
            Manifest m = ContentBlobs.parse(manifest, Manifest.class, bytes(manifest));
            pushBlob(m.config().toDescriptor());
            for (OciDescriptor l : m.layers() == null ? List.<OciDescriptor>of() : m.layers()) {
                pushBlob(l.toDescriptor());
            }
            pushDocument(manifest, tagged);
        }

        /** Pushes a manifest or index: under the target's tag if {@code tagged}, else by its digest. */
        void pushDocument(Descriptor doc, boolean tagged) throws IOException {
            byte[] body = bytes(doc);
            ImageReference where = tagged ? dest
                    : new ImageReference(dest.domain(), dest.path(), Optional.empty(), Optional.of(doc.digest()));
            progress.uploading(doc, 0, doc.size());
            registry.pushManifest(where, doc, body);
            progress.uploading(doc, doc.size(), doc.size());
            progress.done(doc);
        }

        private void pushBlob(Descriptor blob) throws IOException {
            if (!handled.add(blob.digest())) {
                return;
            }
            if (registry.exists(dest, blob)) {
                progress.exists(blob);
                return;
            }
            ContentInfo info = content.info(blob.digest());
            for (String repo : ImageLabels.sources(info, dest.domain())) {
                if (!repo.equals(dest.path()) && registry.mount(dest, blob, repo)) {
                    progress.mounted(blob, repo);
                    labelSource(blob);
                    return;
                }
            }
            progress.uploading(blob, 0, blob.size());
            try (InputStream in = new Counting(Channels.newInputStream(content.read(blob.digest())), blob)) {
                registry.push(dest, blob, in);
            }
            labelSource(blob);
            progress.done(blob);
        }

        private void labelSource(Descriptor blob) throws IOException {
            ImageLabels.add(content, blob.digest(), Map.of(ImageLabels.sourceKey(dest), dest.path()));
        }

        byte[] bytes(Descriptor doc) throws IOException {
            return ContentBlobs.read(content, doc.digest());
        }

        /** Reports upload progress every mebibyte as the registry client reads the blob. */
        private final class Counting extends FilterInputStream {
            private final Descriptor blob;
            private long count;
            private long reported;

            Counting(InputStream in, Descriptor blob) {
                super(in);
                this.blob = blob;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count += n;
                    if (count - reported >= (1 << 20) || count == blob.size()) {
                        progress.uploading(blob, count, blob.size());
                        reported = count;
                    }
                }
                return n;
            }
        }
    }
}
