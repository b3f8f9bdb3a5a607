package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.manager.dockerapi.http.Reply;
import dev.berth.manager.dockerapi.http.Request;
import dev.berth.model.DockerJson;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** One routed request: its path parameters, docker's query conventions, and the reply. */
final class ApiCall {

    private final Request request;
    private final Reply reply;
    private final Map<String, String> params;

    ApiCall(Request request, Reply reply, Map<String, String> params) {
        this.request = request;
        this.reply = reply;
        this.params = Map.copyOf(params);
    }

    Request request() {
        return request;
    }

    Reply reply() {
        return reply;
    }

    /** A path parameter ({@code {id}} of the route). */
    String param(String name) {
        return params.get(name);
    }

    Optional<String> query(String name) {
        return request.query(name).filter(v -> !v.isEmpty());
    }

    String query(String name, String dflt) {
        return query(name).orElse(dflt);
    }

    /** docker's boolean query values: absent, empty, {@code 0}, {@code false} are false. */
    boolean flag(String name, boolean dflt) {
        Optional<String> v = request.query(name);
        if (v.isEmpty()) {
            return dflt;
        }
        String s = v.get().toLowerCase(java.util.Locale.ROOT);
        return !(s.isEmpty() || s.equals("0") || s.equals("false") || s.equals("no"));
    }

    /** An integer query parameter; 400 naming it when it is not one. */
    Optional<Long> number(String name) {
        Optional<String> v = query(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(v.get()));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid value for " + name + ": " + v.get());
        }
    }

    byte[] body() {
        return request.body();
    }

    /** The body as it arrives, on a route added with {@link Router#addStreamed}. */
    java.io.InputStream bodyStream() {
        return request.bodyStream();
    }

    /** The body as JSON; an empty body is an empty object. 400 when it is not JSON. */
    JsonNode bodyJson() {
        if (request.body().length == 0) {
            return DockerJson.mapper().createObjectNode();
        }
        try {
            return DockerJson.mapper().readTree(request.body());
        } catch (IOException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getMessage());
        }
    }

    void json(int status, byte[] body) {
        reply.json(status, body);
    }

    void json(int status, Object value) {
        reply.json(status, DockerJson.write(value));
    }

    void status(int status) {
        reply.empty(status);
    }
}
