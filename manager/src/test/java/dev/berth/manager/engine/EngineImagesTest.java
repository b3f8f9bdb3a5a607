package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.DockerJson;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EngineImagesTest {

    /** An OCI image has no container_config: inspect still has docker's ContainerConfig, which compose reads. */
    @Test
    void containerConfig_ofAnImageWithoutOne_isDockersZeroValue() throws IOException {
        JsonNode doc = DockerJson.mapper().readTree(DockerJson.write(EngineImages.containerConfig(
                DockerJson.mapper().readTree("{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"sh\"]}}"))));
        assertTrue(doc.isObject(), doc.toString());
        assertEquals("", doc.path("Image").asText());
        assertEquals(false, doc.path("Tty").asBoolean(true));
    }

    @Test
    void containerConfig_ofADockerBuiltImage_isItsOwn() throws IOException {
        JsonNode config = DockerJson.mapper().readTree(
                "{\"container_config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"#(nop) CMD [\\\"sh\\\"]\"],\"Image\":\"x\"}}");
        assertEquals(config.path("container_config"), EngineImages.containerConfig(config));
    }
}
