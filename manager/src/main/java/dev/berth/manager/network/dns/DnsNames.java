package dev.berth.manager.network.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The names the embedded DNS answers, per network: each container's name, its aliases and its short id, mapped to
 * its address on that network. Names are case-insensitive, without the final dot. Thread-safe.
 */
public final class DnsNames {

    /** network id → name → addresses (a name two containers share answers both, as docker's aliases do). */
    private final Map<String, Map<String, Set<String>>> names = new HashMap<>();

    /** Registers {@code address} under each of {@code names} on {@code network}. */
    public synchronized void register(String network, List<String> names, String address) {
        Map<String, Set<String>> byName = this.names.computeIfAbsent(network, k -> new HashMap<>());
        for (String n : names) {
            if (n != null && !n.isEmpty()) {
                byName.computeIfAbsent(normal(n), k -> new LinkedHashSet<>()).add(address);
            }
        }
    }

    /** Forgets every name of {@code address} on {@code network}. */
    public synchronized void unregister(String network, String address) {
        Map<String, Set<String>> byName = names.get(network);
        if (byName == null) {
            return;
        }
        byName.values().forEach(a -> a.remove(address));
        byName.values().removeIf(Set::isEmpty);
        if (byName.isEmpty()) {
            names.remove(network);
        }
    }

    /** The addresses of {@code name} on {@code network}; empty if it is not known there. */
    public synchronized List<String> lookup(String network, String name) {
        Map<String, Set<String>> byName = names.get(network);
        Set<String> found = byName == null ? null : byName.get(normal(name));
        return found == null ? List.of() : new ArrayList<>(found);
    }

    private static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
