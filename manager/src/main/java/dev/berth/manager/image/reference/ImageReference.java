package dev.berth.manager.image.reference;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Digest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A docker-style image reference, normalized as docker and containerd's clients do: {@code busybox} is
 * {@code docker.io/library/busybox:latest}; a first component with a '.' or ':' or equal to {@code localhost} is a
 * registry host ({@code 127.0.0.1:5000/app:1}); a digest ({@code @sha256:…}) pins the manifest.
 *
 * @param domain the registry host (and port)
 * @param path the repository path within the registry, e.g. {@code library/busybox}
 * @param tag the tag, absent when only a digest is given
 * @param digest the pinned manifest digest, if any
 */
public record ImageReference(String domain, String path, Optional<String> tag, Optional<Digest> digest) {

    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern PATH = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
            + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** Parses and normalizes {@code ref}; INVALID_ARGUMENT naming it when it is not a reference. */
    public static ImageReference parse(String ref) {
        String rest = ref;
        Optional<Digest> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Optional.of(Digest.parse(rest.substring(at + 1)));
            } catch (IllegalArgumentException e) {
                throw invalid(ref, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag.get()).matches()) {
                throw invalid(ref, "invalid tag " + tag.get());
            }
        }
        String domain = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                domain = first;
                path = rest.substring(slash + 1);
            }
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (path.isEmpty() || !PATH.matcher(path).matches()) {
            throw invalid(ref, "invalid repository name " + path);
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of("latest");
        }
        return new ImageReference(domain, path, tag, digest);
    }

    private static BerthException invalid(String ref, String why) {
        return BerthException.invalidArgument("parse reference " + ref + ": " + why);
    }

    /** {@code domain/path}, the repository's full name. */
    public String repository() {
        return domain + "/" + path;
    }

    /** The reference's manifest selector: its digest when pinned, else its tag. */
    public String selector() {
        return digest.map(Digest::toString).orElseGet(tag::orElseThrow);
    }

    /** The normalized form, e.g. {@code docker.io/library/busybox:latest}, the name images are recorded under. */
    @Override
    public String toString() {
        return repository() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
