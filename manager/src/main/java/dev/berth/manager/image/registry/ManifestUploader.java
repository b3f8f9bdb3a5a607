package dev.berth.manager.image.registry;

import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Pushes a manifest or index ({@code PUT /v2/<name>/manifests/<reference>}, distribution spec, "Pushing Manifests"). */
final class ManifestUploader {
    private final RegistryErrors errors;

    ManifestUploader(RegistryErrors errors) {
        this.errors = errors;
    }

    /** Under the reference's tag, or its manifest's digest when it has none; the body is sent as its media type. */
    void push(RegistryEndpoint endpoint, ImageReference ref, Descriptor manifest, byte[] body) throws IOException {
        String op = "push " + ref;
        String reference = ref.tag().orElse(manifest.digest().toString());
        HttpResponse<InputStream> response = endpoint.send(RegistryEndpoint.Call.of("PUT",
                        endpoint.uri(ref.path(), "manifests/" + reference), Scopes.push(ref.path()), op)
                .header("Content-Type", manifest.mediaType())
                .body(HttpRequest.BodyPublishers.ofByteArray(body), true));
        if (response.statusCode() != 201) {
            throw errors.of(op, response, "repository unknown");
        }
        Transport.discard(response);
    }
}
