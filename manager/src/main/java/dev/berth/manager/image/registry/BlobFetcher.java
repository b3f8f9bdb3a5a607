package dev.berth.manager.image.registry;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;

/**
 * Fetches a blob ({@code GET /v2/<name>/blobs/<digest>}, distribution spec, "Pulling blobs"), from an offset with
 * {@code Range: bytes=<offset>-}. A registry (or its storage) that ignores the range answers 200 with the whole
 * blob; the first {@code offset} bytes are then skipped here, so the stream always starts at {@code offset} and the
 * caller's ingest never needs to be truncated (the cost is downloading those bytes again).
 */
final class BlobFetcher {
    private final RegistryErrors errors;

    BlobFetcher(RegistryErrors errors) {
        this.errors = errors;
    }

    InputStream fetch(RegistryEndpoint endpoint, ImageReference ref, Descriptor desc, long offset)
            throws IOException {
        String op = "pull " + ref.repository() + "@" + desc.digest();
        if (offset < 0 || (desc.size() >= 0 && offset > desc.size())) {
            throw BerthException.invalidArgument(op + ": offset " + offset + " outside 0.." + desc.size());
        }
        if (offset > 0 && offset == desc.size()) {
            return InputStream.nullInputStream();
        }
        RegistryEndpoint.Call call = RegistryEndpoint.Call.of("GET",
                endpoint.uri(ref.path(), "blobs/" + desc.digest()), Scopes.pull(ref.path()), op);
        if (offset > 0) {
            call = call.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> response = endpoint.send(call);
        int status = response.statusCode();
        if (status == 206 && offset > 0) {
            checkContentRange(op, response, offset);
            return response.body();
        }
        if (status != 200) {
            throw errors.of(op, response, "blob unknown");
        }
        InputStream body = response.body();
        if (offset > 0) {
            body.skipNBytes(offset);
        }
        return body;
    }

    /** {@code Content-Range: bytes <offset>-<last>/<size>}: a range starting elsewhere would corrupt the ingest. */
    private static void checkContentRange(String op, HttpResponse<InputStream> response, long offset)
            throws IOException {
        String range = response.headers().firstValue("Content-Range").orElse("");
        if (!range.startsWith("bytes " + offset + "-")) {
            response.body().close();
            throw BerthException.internal(op + ": asked for bytes from " + offset + ", got range '" + range + "'");
        }
    }
}
