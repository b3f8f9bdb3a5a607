package dev.berth.manager.image.registry;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * {@link Registry} over HTTP: pulls (resolve, fetch) try the mirrors in order and then the registry itself, taking
 * the first that answers; pushes and their checks go to the registry only.
 */
final class HttpRegistry implements Registry {
    private final List<RegistryEndpoint> mirrors;
    private final RegistryEndpoint origin;
    private final ManifestFetcher manifests;
    private final BlobFetcher blobs;
    private final BlobUploader uploads;
    private final ManifestUploader manifestUploads;

    HttpRegistry(List<RegistryEndpoint> mirrors, RegistryEndpoint origin, RegistryErrors errors,
            ManifestFetcher manifests) {
        this.mirrors = List.copyOf(mirrors);
        this.origin = origin;
        this.manifests = manifests;
        this.blobs = new BlobFetcher(errors);
        this.uploads = new BlobUploader(errors);
        this.manifestUploads = new ManifestUploader(errors);
    }

    @FunctionalInterface
    private interface Pull<T> {
        T from(RegistryEndpoint endpoint) throws IOException;
    }

    /**
     * Asks each mirror, then the registry; a mirror's failure of any kind (it lacks the image, refuses us, is
     * down) moves on to the next, and only the registry's own failure is reported.
     */
    private <T> T pull(Pull<T> pull) throws IOException {
        for (RegistryEndpoint mirror : mirrors) {
            try {
                return pull.from(mirror);
            } catch (BerthException | IOException e) {
                // next mirror, then the registry, whose error is the one that counts
            }
        }
        return pull.from(origin);
    }

    @Override
    public Descriptor resolve(ImageReference ref) throws IOException {
        return pull(endpoint -> manifests.resolve(endpoint, ref));
    }

    @Override
    public InputStream fetch(ImageReference ref, Descriptor desc, long offset) throws IOException {
        if (MediaTypes.isIndex(desc.mediaType()) || MediaTypes.isManifest(desc.mediaType())) {
            return pull(endpoint -> manifests.fetch(endpoint, ref, desc, offset));
        }
        return pull(endpoint -> blobs.fetch(endpoint, ref, desc, offset));
    }

    @Override
    public boolean exists(ImageReference ref, Descriptor blob) throws IOException {
        return uploads.exists(origin, ref, blob);
    }

    @Override
    public boolean mount(ImageReference ref, Descriptor blob, String from) throws IOException {
        return uploads.mount(origin, ref, blob, from);
    }

    @Override
    public void push(ImageReference ref, Descriptor blob, InputStream content) throws IOException {
        uploads.push(origin, ref, blob, content);
    }

    @Override
    public void pushManifest(ImageReference ref, Descriptor manifest, byte[] body) throws IOException {
        manifestUploads.push(origin, ref, manifest, body);
    }
}
