package dev.berth.manager.image.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import java.util.ArrayList;
import java.util.List;

/**
 * An image config (OCI image spec, "Image Configuration"; Docker's is the same shape), kept as the JSON tree it
 * came in so that a commit or an export writes back every field, also those this code does not know.
 */
public record ImageConfig(ObjectNode json) {

    public Platform platform() {
        return new Platform(text("architecture"), text("os"), json.path("variant").isMissingNode() ? null
                : json.path("variant").asText());
    }

    /** {@code rootfs.diff_ids}: the uncompressed layer digests, base first. */
    public List<String> diffIds() {
        JsonNode ids = json.path("rootfs").path("diff_ids");
        if (!ids.isArray()) {
            throw BerthException.invalidArgument("image config: no rootfs.diff_ids");
        }
        List<String> out = new ArrayList<>();
        ids.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The process settings ({@code config}: Entrypoint, Cmd, Env, WorkingDir, User, …), possibly empty. */
    public ObjectNode process() {
        JsonNode c = json.get("config");
        return c instanceof ObjectNode o ? o : json.objectNode();
    }

    private String text(String field) {
        return json.path(field).asText("");
    }
}
