package dev.berth.cli.image;

/**
 * Docker's image reference rules on the client side: {@code busybox} means {@code docker.io/library/busybox:latest},
 * and a listing shows {@code docker.io/library/} names in their short form again.
 *
 * @param name the normalized name as images are recorded: {@code host/path[:tag][@digest]}
 */
public record ImageName(String name) {
    private static final String DOCKER_HUB = "docker.io";

    /** Normalizes what a user typed: adds the registry ({@code docker.io}, {@code library/}) and {@code :latest}. */
    public static ImageName parse(String reference) {
        if (reference.isBlank() || !reference.equals(reference.strip())) {
            throw new IllegalArgumentException("invalid reference format: \"" + reference + "\"");
        }
        String ref = reference;
        int slash = ref.indexOf('/');
        String first = slash < 0 ? "" : ref.substring(0, slash);
        boolean hasHost = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasHost) {
            ref = DOCKER_HUB + "/" + (slash < 0 ? "library/" : "") + ref;
        }
        int lastSlash = ref.lastIndexOf('/');
        String tail = ref.substring(lastSlash + 1);
        if (!tail.contains(":") && !tail.contains("@")) {
            ref = ref + ":latest";
        }
        ImageName parsed = new ImageName(ref);
        if (!parsed.repository().equals(parsed.repository().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("invalid reference format: repository name must be lowercase");
        }
        return parsed;
    }

    /** The repository part ({@code docker.io/library/busybox}). */
    public String repository() {
        int at = name.indexOf('@');
        String base = at < 0 ? name : name.substring(0, at);
        int colon = base.lastIndexOf(':');
        return colon > base.lastIndexOf('/') ? base.substring(0, colon) : base;
    }

    /** The tag, or {@code <none>} for a digest-only reference. */
    public String tag() {
        String t = tagOf(name);
        return t.isEmpty() ? "<none>" : t;
    }

    /** The repository as docker shows it: {@code busybox} for {@code docker.io/library/busybox}. */
    public String familiarRepository() {
        String repo = repository();
        if (repo.startsWith(DOCKER_HUB + "/library/")) {
            return repo.substring((DOCKER_HUB + "/library/").length());
        }
        if (repo.startsWith(DOCKER_HUB + "/")) {
            return repo.substring(DOCKER_HUB.length() + 1);
        }
        return repo;
    }

    private static String tagOf(String ref) {
        int at = ref.indexOf('@');
        String base = at < 0 ? ref : ref.substring(0, at);
        int colon = base.lastIndexOf(':');
        return colon > base.lastIndexOf('/') ? base.substring(colon + 1) : "";
    }

    @Override
    public String toString() {
        return name;
    }
}
