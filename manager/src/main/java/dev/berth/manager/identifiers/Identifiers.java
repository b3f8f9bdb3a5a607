package dev.berth.manager.identifiers;

import dev.berth.api.errdefs.BerthException;
import java.util.regex.Pattern;

/**
 * containerd's identifier rule ({@code pkg/identifiers}), for namespaces, containers and leases: letters and digits
 * in runs separated by single {@code .}, {@code _} or {@code -}, at most 76 characters. A valid identifier is also
 * a safe path component (no {@code /}, no {@code ..}), which bundles rely on.
 */
public final class Identifiers {

    public static final int MAX_LENGTH = 76;
    private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$");

    private Identifiers() {
    }

    /** Throws INVALID_ARGUMENT naming {@code id} if it is not a valid identifier (containerd's messages). */
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
    public static void validateNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw BerthException.failedPrecondition("namespace is required");
        }
        try {
            validate(namespace);
        } catch (BerthException e) {
            throw new BerthException(e.kind(), "namespace validation: " + e.getMessage(), e);
        }
    }

    /**
     * Validates a task's namespace and container id, which become path components of its bundle; the
     * INVALID_ARGUMENT names the operation and which of the two is wrong.
     */
    public static void validate(String operation, String namespace, String containerId) {
        validatePart(operation, "namespace", namespace);
        validatePart(operation, "container id", containerId);
    }

    private static void validatePart(String operation, String what, String value) {
        try {
            validate(value);
        } catch (BerthException e) {
            throw BerthException.invalidArgument(operation + ": invalid " + what + ": " + e.getMessage());
        }
    }
}
