package dev.berth.manager.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** An OCI image index or a Docker manifest list. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Index(@JsonProperty("schemaVersion") int schemaVersion, @JsonProperty("mediaType") String mediaType,
                    @JsonProperty("manifests") List<OciDescriptor> manifests,
                    @JsonProperty("annotations") Map<String, String> annotations) {
}
