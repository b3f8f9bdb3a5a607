package dev.berth.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One of docker's events ({@code /events}): {@code Type} container, image, volume or network; {@code Action} the
 * verb (create, start, die, stop, kill, destroy, rename, pause, unpause, restart, "health_status: healthy",
 * "exec_start: sh", …); {@code Actor} the object and its attributes (name, image, labels, exitCode). {@code status},
 * {@code id} and {@code from} are docker's older fields, still sent for containers.
 */
public record EventMessage(@JsonProperty("status") String status,
                           @JsonProperty("id") String id,
                           @JsonProperty("from") String from,
                           @JsonProperty("Type") String type,
                           @JsonProperty("Action") String action,
                           @JsonProperty("Actor") Actor actor,
                           @JsonProperty("scope") String scope,
                           @JsonProperty("time") long time,
                           @JsonProperty("timeNano") long timeNano) {

    public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {
        public Actor {
            attributes = Copies.map(attributes);
        }
    }
}
