package dev.berth.manager.image.registry;

import java.util.List;

/** The token scopes of the distribution API's operations (token spec, "Requesting a Token"). */
final class Scopes {
    private Scopes() {
    }

    static List<String> pull(String repository) {
        return List.of("repository:" + repository + ":pull");
    }

    /** Push needs pull too: an upload starts with checks for what is already there. */
    static List<String> push(String repository) {
        return List.of("repository:" + repository + ":pull,push");
    }

    static List<String> mount(String repository, String from) {
        return List.of("repository:" + repository + ":pull,push", "repository:" + from + ":pull");
    }
}
