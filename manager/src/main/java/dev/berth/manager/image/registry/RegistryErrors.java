package dev.berth.manager.image.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a registry's unexpected answer into a {@link BerthException}: the kind from the status, the message from
 * the operation and the registry's error body ({@code {"errors":[{"code":…,"message":…}]}}, distribution spec,
 * "Error Codes").
 */
final class RegistryErrors {
    /** Error bodies are short; a misbehaving server's page is cut here. */
    private static final int MAX_BODY = 64 * 1024;

    private final ObjectMapper json;

    RegistryErrors(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The error for {@code response}, consuming its body. {@code unknown} is the message of a 404 whose body says
     * nothing (a HEAD has none), e.g. {@code manifest unknown}.
     */
    BerthException of(String op, HttpResponse<InputStream> response, String unknown) throws IOException {
        return of(op, response, unknown, "");
    }

    /** As {@link #of(String, HttpResponse, String)}, the detail prefixed with who answered ({@code token server x}). */
    BerthException of(String op, HttpResponse<InputStream> response, String unknown, String source)
            throws IOException {
        int status = response.statusCode();
        String body = detail(response);
        String detail = source.isEmpty() ? body : body.isEmpty() ? source : source + ": " + body;
        return switch (status) {
            case 404 -> BerthException.notFound(op + ": " + (detail.isEmpty() ? unknown : detail));
            case 401 -> BerthException.failedPrecondition(op + ": " + join("authentication required", detail));
            case 403 -> BerthException.failedPrecondition(op + ": " + join("access denied", detail));
            case 400, 405, 413, 416 -> BerthException.invalidArgument(op + ": " + join("registry answered " + status,
                    detail));
            default -> status >= 500 || status == 429
                    ? BerthException.unavailable(op + ": " + join("registry answered " + status, detail))
                    : BerthException.internal(op + ": " + join("unexpected status " + status, detail));
        };
    }

    private static String join(String what, String detail) {
        return detail.isEmpty() || detail.equalsIgnoreCase(what) ? what : what + ": " + detail;
    }

    /** The registry's error messages joined by "; ", or the start of a body that is not such JSON. */
    private String detail(HttpResponse<InputStream> response) throws IOException {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_BODY);
        }
        if (body.length == 0) {
            return "";
        }
        try {
            JsonNode errors = json.readTree(body).path("errors");
            List<String> messages = new ArrayList<>();
            for (JsonNode e : errors) {
                String message = e.path("message").asText("");
                messages.add(message.isEmpty() ? e.path("code").asText("").toLowerCase() : message);
            }
            if (!messages.isEmpty()) {
                return String.join("; ", messages);
            }
        } catch (JacksonException e) {
            // not the distribution spec's error JSON: fall through to the raw text
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
