package dev.berth.manager.engine;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of docker's {@code json-file} log: the output ({@code log}, with its newline), the stream
 * ({@code stdout} or {@code stderr}) and when it was read ({@code time}, RFC 3339 with nanoseconds).
 */
record LogEntry(@JsonProperty("log") String log, @JsonProperty("stream") String stream,
                @JsonProperty("time") String time) {
}
