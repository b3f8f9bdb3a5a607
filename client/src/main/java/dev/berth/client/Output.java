package dev.berth.client;

import dev.berth.api.services.engine.v1.OutputChunk;
import java.time.Instant;
import java.util.Optional;

/**
 * A piece of a container's or exec's output: which stream it came from (for a terminal, all of it is stdout),
 * its bytes, and when the log recorded it (logs only).
 */
public record Output(Source source, byte[] data, Optional<Instant> time) {
    public enum Source { STDIN, STDOUT, STDERR }

    static Output of(OutputChunk chunk) {
        Source source = switch (chunk.getStream()) {
            case STDERR -> Source.STDERR;
            case STDIN -> Source.STDIN;
            default -> Source.STDOUT;
        };
        Optional<Instant> time = chunk.hasTime()
                ? Optional.of(Instant.ofEpochSecond(chunk.getTime().getSeconds(), chunk.getTime().getNanos()))
                : Optional.empty();
        return new Output(source, chunk.getData().toByteArray(), time);
    }
}
