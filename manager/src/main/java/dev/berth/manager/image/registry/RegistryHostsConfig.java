package dev.berth.manager.image.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How berthd reaches registries; see the package documentation for the rules each field feeds.
 *
 * @param dockerConfig a docker {@code config.json} with credentials ({@code auths}); absent, or a missing file,
 *     means anonymous access everywhere
 * @param insecure registries spoken to over plain HTTP, as {@code host} or {@code host:port}, in addition to the
 *     loopback hosts, which always are
 * @param mirrors per registry host (as in references, {@code docker.io} for Docker Hub), the mirrors tried in
 *     order for pulls before the registry itself: {@code host[:port]} or a URL {@code http(s)://host[:port]}
 * @param backoff how often and how patiently 5xx answers and broken connections are retried
 */
public record RegistryHostsConfig(Optional<Path> dockerConfig, List<String> insecure,
        Map<String, List<String>> mirrors, Backoff backoff) {

    public RegistryHostsConfig {
        Objects.requireNonNull(dockerConfig, "dockerConfig");
        Objects.requireNonNull(backoff, "backoff");
        insecure = List.copyOf(insecure);
        mirrors = mirrors.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /** With the default backoff. */
    public RegistryHostsConfig(Optional<Path> dockerConfig, List<String> insecure, Map<String, List<String>> mirrors) {
        this(dockerConfig, insecure, mirrors, Backoff.DEFAULT);
    }

    /** No credentials, no extra insecure registries, no mirrors. */
    public static RegistryHostsConfig anonymous() {
        return new RegistryHostsConfig(Optional.empty(), List.of(), Map.of());
    }

    /**
     * Retry policy for idempotent requests: up to {@code attempts} tries in all, waiting {@code first}, then twice
     * as long each time, never more than {@code max}.
     */
    public record Backoff(int attempts, Duration first, Duration max) {
        /** 4 tries: waits of 200, 400 and 800 ms between them. */
        public static final Backoff DEFAULT = new Backoff(4, Duration.ofMillis(200), Duration.ofMillis(800));

        public Backoff {
            if (attempts < 1) {
                throw new IllegalArgumentException("backoff attempts " + attempts + ": must be at least 1");
            }
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
        }

        /** The wait before try {@code attempt + 1}, for {@code attempt} counted from 1. */
        Duration delayAfter(int attempt) {
            Duration d = first.multipliedBy(1L << Math.min(attempt - 1, 20));
            return d.compareTo(max) > 0 ? max : d;
        }
    }
}
