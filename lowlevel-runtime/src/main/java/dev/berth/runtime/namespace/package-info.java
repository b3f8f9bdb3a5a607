/** Namespace kinds and the plan to create or join them, derived from {@code linux.namespaces}. */
package dev.berth.runtime.namespace;
