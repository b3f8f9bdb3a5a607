package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * docker's {@code Volume} (volume inspect, an element of volume list): {@code Labels} and {@code Options} are
 * written as {@code null} when there are none, as docker's Go maps are; {@code CreatedAt} is RFC 3339.
 *
 * @param usageData size and reference count, only in {@code system df} (absent elsewhere)
 */
public record Volume(@JsonProperty("Name") String name,
                     @JsonProperty("Driver") String driver,
                     @JsonProperty("Mountpoint") String mountpoint,
                     @JsonProperty("CreatedAt") String createdAt,
                     @JsonProperty("Status") Map<String, Object> status,
                     @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Labels") Map<String, String> labels,
                     @JsonProperty("Scope") String scope,
                     @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Options") Map<String, String> options,
                     @JsonProperty("UsageData") UsageData usageData) {

    public Volume {
        status = Copies.map(status);
        labels = Copies.map(labels);
        options = Copies.map(options);
    }

    /** {@code Size} in bytes (-1 when not computed) and {@code RefCount} (containers using it, -1 likewise). */
    public record UsageData(@JsonProperty("Size") long size, @JsonProperty("RefCount") long refCount) {
    }
}
