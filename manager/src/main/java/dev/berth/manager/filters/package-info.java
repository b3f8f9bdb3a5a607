/**
 * containerd's filter syntax ({@code core/filters}), used by {@code Subscribe} and every {@code List} that takes
 * filters: a filter is a comma-separated conjunction of selectors {@code <fieldpath>[<op><value>]} with the
 * operators {@code ==}, {@code !=}, {@code ~=} (regular expression, unanchored) and {@code @=} (contains); a list of
 * filters is their disjunction. What a field path means is up to the object matched, through {@link
 * dev.berth.manager.filters.Fields}.
 */
package dev.berth.manager.filters;
