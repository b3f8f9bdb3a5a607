package dev.berth.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The push side of the OCI distribution API over plain HTTP (distribution-spec {@code spec.md}, "Push"): a blob is
 * an upload session opened with POST and completed by one PUT with {@code ?digest=}; a manifest is one PUT by tag.
 */
final class RegistryClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient http;
    private final Optional<String> authorization;

    /** {@code authorization}: an {@code Authorization} header value sent with every request. */
    RegistryClient(URI base, Optional<String> authorization) {
        this.base = base;
        this.authorization = authorization;
        // HTTP/1.1: the default would try an h2c upgrade on every request.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** True once {@code GET /v2/} answers 200 (the API version check); false while nothing listens yet. */
    boolean ping() {
        try {
            return send(HttpRequest.newBuilder(base.resolve("/v2/")).GET()).statusCode() == 200;
        } catch (IOException e) {
            // not listening yet, or reset while starting
            return false;
        }
    }

    /** Uploads one blob unless the repository already has it. */
    void pushBlob(String repository, Descriptor blob, Path content) throws IOException {
        URI blobUri = base.resolve("/v2/" + repository + "/blobs/" + blob.digest());
        if (send(HttpRequest.newBuilder(blobUri).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .statusCode() == 200) {
            return;
        }
        HttpResponse<String> started = send(HttpRequest.newBuilder(base.resolve("/v2/" + repository
                + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
        expect(202, started, "start upload of " + blob.digest() + " to " + repository);
        String location = started.headers().firstValue("Location").orElseThrow(
                () -> new IOException("start upload of " + blob.digest() + ": no Location header"));
        URI upload = base.resolve(location);
        URI complete = URI.create(upload + (upload.getQuery() == null ? "?" : "&") + "digest=" + blob.digest());
        HttpResponse<String> done = send(HttpRequest.newBuilder(complete)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(content)));
        expect(201, done, "upload " + blob.digest() + " to " + repository);
    }

    /** Stores the manifest under {@code tag}; its blobs must already be in the repository. */
    void pushManifest(String repository, String tag, Descriptor manifest, Path content) throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", manifest.mediaType())
                .PUT(HttpRequest.BodyPublishers.ofFile(content)));
        expect(201, r, "put manifest " + repository + ":" + tag);
        String stored = r.headers().firstValue("Docker-Content-Digest").orElse(manifest.digest());
        if (!stored.equals(manifest.digest())) {
            throw new IOException("put manifest " + repository + ":" + tag + ": registry stored " + stored
                    + ", expected " + manifest.digest());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            authorization.ifPresent(a -> request.header("Authorization", a));
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void expect(int status, HttpResponse<String> r, String what) throws IOException {
        if (r.statusCode() != status) {
            throw new IOException(what + ": HTTP " + r.statusCode() + " (expected " + status + "): " + r.body());
        }
    }
}
