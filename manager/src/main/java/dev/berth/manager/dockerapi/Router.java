package dev.berth.manager.dockerapi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker's routes: a method and a path template ({@code /containers/{id}/json}; {@code {name*}} also matches
 * slashes, for image names), tried in the order added. {@link #stripVersion} removes the {@code /v1.NN} prefix
 * every path may carry.
 */
final class Router {

    private static final Pattern VERSIONED = Pattern.compile("/v(\\d+)\\.(\\d+)(/.*)");
    private static final Pattern PARAM = Pattern.compile("\\{(\\w+)(\\*?)}");

    record Match(Consumer<ApiCall> endpoint, Map<String, String> params, boolean streamed) {
    }

    private record Route(String method, Pattern path, List<String> names, Consumer<ApiCall> endpoint,
                         boolean streamed) {
    }

    /** A path without its version prefix, and the version it named (major, minor), if any. */
    record Versioned(String path, Optional<int[]> version) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Consumer<ApiCall> endpoint) {
        return add(method, template, endpoint, false);
    }

    /** A route whose request body the endpoint reads as it arrives ({@link ApiCall#bodyStream()}): uploads. */
    Router addStreamed(String method, String template, Consumer<ApiCall> endpoint) {
        return add(method, template, endpoint, true);
    }

    private Router add(String method, String template, Consumer<ApiCall> endpoint, boolean streamed) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(method, Pattern.compile(regex.toString()), names, endpoint, streamed));
        return this;
    }

    static Versioned stripVersion(String path) {
        Matcher m = VERSIONED.matcher(path);
        if (m.matches()) {
            return new Versioned(m.group(3),
                    Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))}));
        }
        return new Versioned(path, Optional.empty());
    }

    /** The route for the request; HEAD is served by GET routes when no HEAD route matches. */
    Optional<Match> route(String method, String path) {
        Optional<Match> m = find(method, path);
        return m.isEmpty() && method.equals("HEAD") ? find("GET", path) : m;
    }

    private Optional<Match> find(String method, String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Route r : routes) {
            if (!r.method.equals(method)) {
                continue;
            }
            Matcher m = r.path.matcher(trimmed);
            if (m.matches()) {
                Map<String, String> params = new HashMap<>();
                for (int i = 0; i < r.names.size(); i++) {
                    params.put(r.names.get(i), m.group(i + 1));
                }
                return Optional.of(new Match(r.endpoint, params, r.streamed));
            }
        }
        return Optional.empty();
    }
}
