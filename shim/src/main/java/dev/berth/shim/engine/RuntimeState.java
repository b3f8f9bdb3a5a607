package dev.berth.shim.engine;

import dev.berth.runtime.spec.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * A container's state as the runtime spec defines it ({@code runc state}): the init's pid (0 once stopped), the
 * status, the bundle and the rootfs, when it was created, and its annotations.
 */
public record RuntimeState(String id, int pid, Status status, String bundle, String rootfs, String created,
                             Map<String, String> annotations) {

    /** The runtime spec's statuses, plus runc's transient {@code pausing}. */
    public enum Status {
        CREATING, CREATED, RUNNING, PAUSING, PAUSED, STOPPED;

        /** The status a runtime names in lowercase; an unknown word is INTERNAL. */
        static Status of(String word, String op) {
            try {
                return valueOf(word.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new EngineException(EngineException.Kind.INTERNAL, op + ": unknown status " + word);
            }
        }
    }

    /** Reads the state document; {@code op} names the operation in errors. */
    static RuntimeState from(JsonObject o, String op) {
        return new RuntimeState(o.string("id"), (int) o.number("pid"), Status.of(o.string("status"), op),
                o.optString("bundle", ""), o.optString("rootfs", ""), o.optString("created", ""),
                o.stringMap("annotations"));
    }
}
