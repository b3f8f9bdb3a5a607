package dev.berth.manager.metadata;

import java.time.Instant;
import java.util.Objects;

/**
 * One record of the engine (docker's container model): a container or a volume, kept as the engine's JSON
 * document. The metadata layer does not read the document; the engine owns its shape.
 *
 * @param key the container id or the volume name
 * @param name the container name (unique per namespace); the volume name again for a volume
 * @param json the engine's document
 */
public record EngineRecord(String key, String name, String json, Instant createdAt, Instant updatedAt) {
    public EngineRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
