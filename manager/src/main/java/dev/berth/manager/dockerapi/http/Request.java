package dev.berth.manager.dockerapi.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request: its body read whole, or, where the handler {@linkplain Handler#streamsBody streams} it, to be
 * read from {@link #bodyStream()} as it arrives.
 *
 * @param path       the decoded path, without the query
 * @param query      the decoded query parameters, each with its values in order
 * @param headers    the headers, names in lower case
 * @param body       the whole body; empty when it is streamed
 * @param bodyStream the body as a stream (of {@code body} when it was read whole); a streamed body cut short by
 *                   the client makes its read throw an IOException once what arrived is read
 */
public record Request(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                      byte[] body, InputStream bodyStream) {

    public Request {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** A request whose body was read whole. */
    public Request(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                   byte[] body) {
        this(method, path, query, headers, body, new ByteArrayInputStream(body));
    }

    /** The query parameter's first value. */
    public Optional<String> query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    /** All values of the query parameter, in order. */
    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    /** The header, by a name in any case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }
}
