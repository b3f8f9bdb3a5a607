package dev.berth.manager.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** An OCI image manifest or a Docker schema 2 manifest: a config and layers, base first. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Manifest(@JsonProperty("schemaVersion") int schemaVersion, @JsonProperty("mediaType") String mediaType,
                       @JsonProperty("config") OciDescriptor config,
                       @JsonProperty("layers") List<OciDescriptor> layers,
                       @JsonProperty("annotations") Map<String, String> annotations) {
}
