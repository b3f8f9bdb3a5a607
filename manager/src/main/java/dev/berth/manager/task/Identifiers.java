package dev.berth.manager.task;

import dev.berth.api.errdefs.BerthException;
import java.util.regex.Pattern;

/**
 * containerd's identifier rule ({@code pkg/identifiers}) for namespaces and container ids: alphanumerics separated
 * by single {@code . _ -}, at most 76 characters. Both become path components of the bundle, so nothing else may
 * pass (no {@code ..}, no {@code /}).
 */
final class Identifiers {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*");
    private static final int MAX_LENGTH = 76;

    private Identifiers() {}

    static void validate(String operation, String namespace, String id) {
        check(operation, "namespace", namespace);
        check(operation, "container id", id);
    }

    private static void check(String operation, String what, String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH || !IDENTIFIER.matcher(value).matches()) {
            throw BerthException.invalidArgument(operation + ": invalid " + what + " \"" + value + "\"");
        }
    }
}
