package dev.berth.manager.metadata;

import java.util.Map;

/** A namespace and its labels (containerd {@code namespaces.Namespace}). */
public record NamespaceRecord(String name, Map<String, String> labels) {
    public NamespaceRecord {
        labels = Map.copyOf(labels);
    }
}
