package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** docker's log driver choice: {@code Type} "json-file" (default) or "none"; options such as max-size, max-file. */
public record LogConfig(@JsonProperty("Type") String type, @JsonProperty("Config") Map<String, String> config) {
    public LogConfig {
        config = config == null ? null : Map.copyOf(config);
    }
}
