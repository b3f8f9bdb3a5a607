package dev.berth.manager.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.Index;
import dev.berth.manager.image.oci.Manifest;
import java.io.IOException;

/** Reads the image format's JSON documents; a document that does not parse is INVALID_ARGUMENT naming it. */
public final class OciJson {

    private final ObjectMapper mapper = new ObjectMapper();

    public Index index(Descriptor desc, byte[] body) {
        return read(desc, body, Index.class);
    }

    public Manifest manifest(Descriptor desc, byte[] body) {
        return read(desc, body, Manifest.class);
    }

    public ImageConfig config(Descriptor desc, byte[] body) {
        try {
            JsonNode tree = mapper.readTree(body);
            if (!(tree instanceof ObjectNode o)) {
                throw BerthException.invalidArgument("parse config " + desc.digest() + ": not a JSON object");
            }
            return new ImageConfig(o);
        } catch (IOException e) {
            throw BerthException.invalidArgument("parse config " + desc.digest() + ": " + e.getMessage());
        }
    }

    private <T> T read(Descriptor desc, byte[] body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw BerthException.invalidArgument("parse " + desc.mediaType() + " " + desc.digest() + ": "
                    + e.getMessage());
        }
    }
}
