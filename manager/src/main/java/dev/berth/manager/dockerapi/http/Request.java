package dev.berth.manager.dockerapi.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request, its body read whole.
 *
 * @param path   the decoded path, without the query
 * @param query  the decoded query parameters, each with its values in order
 * @param headers the headers, names in lower case
 */
public record Request(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                      byte[] body) {

    public Request {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
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
