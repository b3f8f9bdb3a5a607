package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code --ulimit name=soft[:hard]}; {@code Name} without the RLIMIT_ prefix, lower case ("nofile"). */
public record Ulimit(@JsonProperty("Name") String name, @JsonProperty("Soft") Long soft,
                     @JsonProperty("Hard") Long hard) {
}
