package dev.berth.manager.engine;

import java.io.IOException;
import java.time.Instant;

/** Receives the lines of a container's log, oldest first, with the time each was read. */
@FunctionalInterface
public interface LogLines {
    void entry(OutputStreamKind stream, byte[] data, Instant time) throws IOException;
}
