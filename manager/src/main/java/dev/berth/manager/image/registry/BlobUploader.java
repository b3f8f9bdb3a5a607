package dev.berth.manager.image.registry;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Pushes blobs (distribution spec, "Pushing blobs"): an existence check ({@code HEAD /v2/<name>/blobs/<digest>}),
 * a cross-repository mount ({@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other>}) and the monolithic
 * upload, a {@code POST} that opens a session and a {@code PUT <location>?digest=<digest>} with the whole blob.
 */
final class BlobUploader {
    private final RegistryErrors errors;

    BlobUploader(RegistryErrors errors) {
        this.errors = errors;
    }

    /** With the push scope: existence checks come before uploads, which then reuse the token. */
    boolean exists(RegistryEndpoint endpoint, ImageReference ref, Descriptor blob) throws IOException {
        String op = "check blob " + blob.digest() + " in " + ref.repository();
        HttpResponse<InputStream> response = endpoint.send(RegistryEndpoint.Call.of("HEAD",
                endpoint.uri(ref.path(), "blobs/" + blob.digest()), Scopes.push(ref.path()), op));
        return switch (response.statusCode()) {
            case 200 -> {
                Transport.discard(response);
                yield true;
            }
            case 404 -> {
                Transport.discard(response);
                yield false;
            }
            default -> throw errors.of(op, response, "blob unknown");
        };
    }

    /**
     * 201 means mounted; 202 means the registry would not (it does not have the blob there, or the client may not
     * read {@code from}) and opened an upload session instead, which is left to expire: the caller's upload opens
     * its own.
     */
    boolean mount(RegistryEndpoint endpoint, ImageReference ref, Descriptor blob, String from) throws IOException {
        String source = from.startsWith(ref.domain() + "/") ? from.substring(ref.domain().length() + 1) : from;
        String op = "mount " + blob.digest() + " from " + source + " into " + ref.repository();
        URI uri = endpoint.uri(ref.path(), "blobs/uploads/?mount=" + encode(blob.digest().toString())
                + "&from=" + encode(source));
        HttpResponse<InputStream> response = endpoint.send(RegistryEndpoint.Call.of("POST", uri,
                Scopes.mount(ref.path(), source), op));
        return switch (response.statusCode()) {
            case 201 -> {
                Transport.discard(response);
                yield true;
            }
            case 202 -> {
                Transport.discard(response);
                yield false;
            }
            default -> throw errors.of(op, response, "repository unknown");
        };
    }

    /**
     * Opens a session (replayable, so authentication and retries settle there), then streams {@code content}
     * once with the PUT; a failure of the PUT is the caller's to retry with a fresh stream.
     */
    void push(RegistryEndpoint endpoint, ImageReference ref, Descriptor blob, InputStream content)
            throws IOException {
        String op = "push blob " + blob.digest() + " to " + ref.repository();
        RegistryEndpoint.Call start = RegistryEndpoint.Call.of("POST", endpoint.uri(ref.path(), "blobs/uploads/"),
                Scopes.push(ref.path()), op);
        HttpResponse<InputStream> started = endpoint.send(start);
        if (started.statusCode() != 202) {
            throw errors.of(op, started, "repository unknown");
        }
        Transport.discard(started);
        String location = started.headers().firstValue("Location").orElseThrow(
                () -> BerthException.internal(op + ": upload session without a Location"));
        URI session = start.uri().resolve(location);
        URI put = URI.create(session + (session.getRawQuery() == null ? "?" : "&")
                + "digest=" + encode(blob.digest().toString()));
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> content), blob.size());
        HttpResponse<InputStream> done = endpoint.send(RegistryEndpoint.Call.of("PUT", put, Scopes.push(ref.path()), op)
                .header("Content-Type", "application/octet-stream")
                .body(body, false));
        if (done.statusCode() != 201) {
            throw errors.of(op, done, "upload unknown");
        }
        Transport.discard(done);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
