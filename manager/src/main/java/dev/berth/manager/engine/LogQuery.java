package dev.berth.manager.engine;

import java.time.Instant;

/**
 * What to read of a container's log: the streams, the last {@code tail} lines ({@code < 0} for all), the time
 * window ({@code since}/{@code until}, null for unbounded) and whether to follow it.
 */
public record LogQuery(boolean stdout, boolean stderr, long tail, Instant since, Instant until, boolean follow) {
}
