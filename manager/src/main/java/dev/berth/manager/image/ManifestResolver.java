package dev.berth.manager.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.ContentStore;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Index;
import dev.berth.manager.image.oci.Manifest;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.oci.Platform;
import java.io.IOException;

/**
 * Resolves an image's target (a manifest, or an index or manifest list) to the manifest and config of one platform,
 * reading them from a content store.
 */
public final class ManifestResolver {

    private static final int MAX_DEPTH = 4;

    private ManifestResolver() {
    }

    /** NOT_FOUND naming the image and platform if the target has no manifest for {@code platform}. */
    public static ResolvedImage resolve(ContentStore store, Descriptor target, Platform platform) throws IOException {
        Descriptor manifestDesc = manifestFor(store, target, platform, 0);
        Manifest manifest = ContentBlobs.readJson(store, manifestDesc.digest(), Manifest.class);
        if (manifest.config() == null) {
            throw BerthException.invalidArgument("manifest " + manifestDesc.digest() + ": no config");
        }
        Descriptor configDesc = manifest.config().toDescriptor();
        ObjectNode json = ContentBlobs.readJson(store, configDesc.digest(), ObjectNode.class);
        return new ResolvedImage(manifestDesc, manifest, configDesc, new ImageConfig(json));
    }

    private static Descriptor manifestFor(ContentStore store, Descriptor desc, Platform platform, int depth)
            throws IOException {
        if (MediaTypes.isManifest(desc.mediaType())) {
            return desc;
        }
        if (!MediaTypes.isIndex(desc.mediaType()) || depth >= MAX_DEPTH) {
            throw BerthException.invalidArgument("resolve " + desc.digest() + ": unsupported media type "
                    + desc.mediaType());
        }
        Index index = ContentBlobs.readJson(store, desc.digest(), Index.class);
        if (index.manifests() != null) {
            for (OciDescriptor m : index.manifests()) {
                // an entry without a platform is taken as matching, as containerd does for single-image indexes
                if (m.platform() == null || platform.matches(m.platform())) {
                    return manifestFor(store, m.toDescriptor(), platform, depth + 1);
                }
            }
        }
        throw BerthException.notFound("resolve " + desc.digest() + ": no manifest for platform " + platform);
    }
}
