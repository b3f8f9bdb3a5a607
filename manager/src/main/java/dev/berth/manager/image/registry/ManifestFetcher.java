package dev.berth.manager.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Resolves and fetches manifests and indexes ({@code /v2/<name>/manifests/<reference>}, distribution spec,
 * "Pulling manifests"), asking for every manifest type Berth reads.
 */
final class ManifestFetcher {
    /** containerd's limit too: a manifest is JSON of a few KiB; anything this big is not one. */
    static final int MAX_MANIFEST = 4 * 1024 * 1024;

    private final RegistryErrors errors;
    private final ObjectMapper json;

    ManifestFetcher(RegistryErrors errors, ObjectMapper json) {
        this.errors = errors;
        this.json = json;
    }

    /**
     * HEAD of the reference: the media type from {@code Content-Type}, the digest from {@code Docker-Content-Digest}
     * (or the reference's own), the size from {@code Content-Length}. A registry that leaves any of them out is
     * asked with GET, and the body is hashed and read instead.
     */
    Descriptor resolve(RegistryEndpoint endpoint, ImageReference ref) throws IOException {
        String op = "pull " + ref;
        RegistryEndpoint.Call head = RegistryEndpoint.Call.of("HEAD",
                        endpoint.uri(ref.path(), "manifests/" + ref.selector()), Scopes.pull(ref.path()), op)
                .header("Accept", MediaTypes.accept());
        HttpResponse<InputStream> response = endpoint.send(head);
        if (response.statusCode() != 200) {
            throw errors.of(op, response, "manifest unknown");
        }
        Transport.discard(response);
        Optional<String> mediaType = mediaType(response);
        Optional<Digest> digest = ref.digest().or(() -> response.headers().firstValue("Docker-Content-Digest")
                .flatMap(ManifestFetcher::digest));
        OptionalLong size = response.headers().firstValueAsLong("Content-Length");
        if (mediaType.isPresent() && digest.isPresent() && size.isPresent() && size.getAsLong() > 0) {
            return new Descriptor(mediaType.get(), digest.get(), size.getAsLong());
        }
        return resolveByGet(endpoint, ref, op);
    }

    private Descriptor resolveByGet(RegistryEndpoint endpoint, ImageReference ref, String op) throws IOException {
        HttpResponse<InputStream> response = endpoint.send(get(endpoint, ref, ref.selector(), op));
        if (response.statusCode() != 200) {
            throw errors.of(op, response, "manifest unknown");
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_MANIFEST + 1);
        }
        if (body.length > MAX_MANIFEST) {
            throw BerthException.invalidArgument(op + ": manifest larger than " + MAX_MANIFEST + " bytes");
        }
        Digest digest = ref.digest().orElseGet(() -> sha256(body));
        String mediaType = mediaType(response).or(() -> declaredMediaType(body)).orElseThrow(
                () -> BerthException.invalidArgument(op + ": manifest has no media type"));
        return new Descriptor(mediaType, digest, body.length);
    }

    /** GET of a manifest by digest, from {@code offset} (skipped on our side: manifests are small). */
    InputStream fetch(RegistryEndpoint endpoint, ImageReference ref, Descriptor desc, long offset)
            throws IOException {
        String op = "pull " + ref.repository() + "@" + desc.digest();
        HttpResponse<InputStream> response = endpoint.send(get(endpoint, ref, desc.digest().toString(), op));
        if (response.statusCode() != 200) {
            throw errors.of(op, response, "manifest unknown");
        }
        InputStream body = response.body();
        body.skipNBytes(offset);
        return body;
    }

    private static RegistryEndpoint.Call get(RegistryEndpoint endpoint, ImageReference ref, String selector,
            String op) {
        return RegistryEndpoint.Call.of("GET", endpoint.uri(ref.path(), "manifests/" + selector),
                Scopes.pull(ref.path()), op).header("Accept", MediaTypes.accept());
    }

    /** The {@code Content-Type} without parameters, unless it is a generic one that says nothing. */
    private static Optional<String> mediaType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type")
                .map(t -> t.contains(";") ? t.substring(0, t.indexOf(';')) : t)
                .map(String::strip)
                .filter(t -> !t.isEmpty() && !t.equals("application/octet-stream") && !t.equals("text/plain")
                        && !t.equals("application/json"));
    }

    /** The manifest's own {@code mediaType} field (OCI manifests may leave it out; then the type is unknown). */
    private Optional<String> declaredMediaType(byte[] body) {
        try {
            String t = json.readTree(body).path("mediaType").asText("");
            return t.isEmpty() ? Optional.empty() : Optional.of(t);
        } catch (IOException e) {
            // not JSON: the registry's Content-Type was all there was to go by
            return Optional.empty();
        }
    }

    private static Optional<Digest> digest(String header) {
        try {
            return Optional.of(Digest.parse(header.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Digest sha256(byte[] body) {
        try {
            return Digest.sha256(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
