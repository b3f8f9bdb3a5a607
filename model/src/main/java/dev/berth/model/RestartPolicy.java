package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * docker's restart policy: {@code Name} is "" or "no", "always", "unless-stopped" or "on-failure" (which alone
 * uses {@code MaximumRetryCount}; 0 means unlimited).
 */
public record RestartPolicy(@JsonProperty("Name") String name,
                            @JsonProperty("MaximumRetryCount") Integer maximumRetryCount) {
    public static final RestartPolicy NO = new RestartPolicy("no", 0);
}
