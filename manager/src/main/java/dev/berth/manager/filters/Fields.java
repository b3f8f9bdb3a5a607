package dev.berth.manager.filters;

import java.util.List;
import java.util.Optional;

/** How an object answers a filter's field path ({@code topic}, {@code labels."a b"}): its value, if it has one. */
@FunctionalInterface
public interface Fields {
    Optional<String> get(List<String> path);
}
