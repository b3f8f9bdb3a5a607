package dev.berth.manager.filters;

import java.util.ArrayList;
import java.util.List;

/** A parsed filter: true for the objects it selects. */
@FunctionalInterface
public interface Filter {
    /** Selects everything: the empty filter, and an empty list of filters. */
    Filter ALWAYS = fields -> true;

    boolean matches(Fields fields);

    /**
     * Parses one filter: selectors joined by {@code ,}, all of which must match; the empty string matches all.
     *
     * @throws dev.berth.api.errdefs.BerthException INVALID_ARGUMENT naming the filter and the position
     */
    static Filter parse(String filter) {
        return filter.isEmpty() ? ALWAYS : new FilterParser(filter).parse();
    }

    /** Parses a list of filters, any of which may match (containerd's {@code ParseAll}); empty matches all. */
    static Filter parseAll(List<String> filters) {
        if (filters.isEmpty()) {
            return ALWAYS;
        }
        List<Filter> any = new ArrayList<>();
        for (String f : filters) {
            any.add(parse(f));
        }
        List<Filter> copy = List.copyOf(any);
        return fields -> copy.stream().anyMatch(f -> f.matches(fields));
    }
}
