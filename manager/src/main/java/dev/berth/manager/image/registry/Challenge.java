package dev.berth.manager.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a registry's 401 asks for, from its {@code WWW-Authenticate} header (RFC 7235; the token flow of the docker
 * registry's "Token Authentication Specification"): {@code Basic realm="x"} or
 * {@code Bearer realm="https://auth/token",service="registry",scope="repository:app:pull"}.
 */
sealed interface Challenge {

    /** Send {@code Authorization: Basic} with the registry's own credentials. */
    record Basic() implements Challenge {}

    /** Fetch a token from {@code realm} for {@code service} and the scopes, then send it as {@code Bearer}. */
    record Bearer(String realm, Optional<String> service, List<String> scopes) implements Challenge {
        public Bearer {
            scopes = List.copyOf(scopes);
        }
    }

    /**
     * The first challenge of a header that Berth can answer; empty when there is none (no header, or only
     * schemes Berth does not speak).
     */
    static Optional<Challenge> parse(String header) {
        int i = 0;
        while (i < header.length()) {
            int end = header.indexOf(' ', i);
            if (end < 0) {
                end = header.length();
            }
            String scheme = header.substring(i, end).trim().toLowerCase(Locale.ROOT);
            Map<String, String> params = new LinkedHashMap<>();
            int next = params(header, end, params);
            if (scheme.equals("basic")) {
                return Optional.of(new Basic());
            }
            if (scheme.equals("bearer") && params.containsKey("realm")) {
                List<String> scopes = new ArrayList<>();
                String scope = params.getOrDefault("scope", "");
                for (String s : scope.split(" ")) {
                    if (!s.isEmpty()) {
                        scopes.add(s);
                    }
                }
                return Optional.of(new Bearer(params.get("realm"), Optional.ofNullable(params.get("service")),
                        scopes));
            }
            i = next;
        }
        return Optional.empty();
    }

    /**
     * Reads {@code name=value} or {@code name="quoted, value"} pairs separated by commas from {@code from}, up to
     * the start of the next challenge (a token not followed by '='); returns where that challenge starts.
     */
    private static int params(String h, int from, Map<String, String> into) {
        int i = from;
        while (true) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            int nameStart = i;
            while (i < h.length() && h.charAt(i) != '=' && h.charAt(i) != ' ' && h.charAt(i) != ',') {
                i++;
            }
            if (i >= h.length() || h.charAt(i) != '=') {
                return nameStart;
            }
            String name = h.substring(nameStart, i).toLowerCase(Locale.ROOT);
            i++;
            StringBuilder value = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) {
                        i++;
                    }
                    value.append(h.charAt(i++));
                }
                i++;
            } else {
                while (i < h.length() && h.charAt(i) != ',' && h.charAt(i) != ' ') {
                    value.append(h.charAt(i++));
                }
            }
            into.put(name, value.toString());
        }
    }
}
