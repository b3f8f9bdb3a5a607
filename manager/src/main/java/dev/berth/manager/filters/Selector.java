package dev.berth.manager.filters;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** One {@code <fieldpath>[<op><value>]} of a filter. */
record Selector(List<String> path, Operator operator, String value, Optional<Pattern> pattern) implements Filter {
    enum Operator { PRESENT, EQUAL, NOT_EQUAL, MATCHES, CONTAINS }

    Selector {
        path = List.copyOf(path);
    }

    @Override
    public boolean matches(Fields fields) {
        Optional<String> actual = fields.get(path);
        return switch (operator) {
            case PRESENT -> actual.isPresent();
            case EQUAL -> actual.isPresent() && actual.get().equals(value);
            // as containerd: an absent field has the empty value, so it differs from any non-empty one
            case NOT_EQUAL -> !actual.orElse("").equals(value);
            case MATCHES -> pattern.orElseThrow().matcher(actual.orElse("")).find();
            case CONTAINS -> actual.orElse("").contains(value);
        };
    }
}
