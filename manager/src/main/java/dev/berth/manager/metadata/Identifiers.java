package dev.berth.manager.metadata;

import dev.berth.api.errdefs.BerthException;
import java.util.regex.Pattern;

/**
 * containerd's identifier rules ({@code pkg/identifiers}), used for namespaces, containers and leases: letters and
 * digits in runs separated by single {@code .}, {@code _} or {@code -}, at most 76 characters.
 */
public final class Identifiers {

    public static final int MAX_LENGTH = 76;
    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$");

    private Identifiers() {
    }

    /** Throws INVALID_ARGUMENT naming {@code id} if it is not a valid identifier. */
    public static void validate(String id) {
        if (id == null || id.isEmpty()) {
            throw BerthException.invalidArgument("identifier must not be empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw BerthException.invalidArgument("identifier \"" + id + "\" greater than maximum length ("
                    + MAX_LENGTH + " characters)");
        }
        if (!IDENTIFIER.matcher(id).matches()) {
            throw BerthException.invalidArgument("identifier \"" + id + "\" must match " + IDENTIFIER.pattern());
        }
    }

    /** A namespace as a request carries it: required (FAILED_PRECONDITION) and a valid identifier. */
    static void validateNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw BerthException.failedPrecondition("namespace is required");
        }
        try {
            validate(namespace);
        } catch (BerthException e) {
            throw new BerthException(e.kind(), "namespace validation: " + e.getMessage(), e);
        }
    }
}
