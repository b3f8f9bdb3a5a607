package dev.berth.manager.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;
import java.util.Map;

/** A descriptor as it appears in manifests and indexes (JSON form), with the platform of index entries. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OciDescriptor(@JsonProperty("mediaType") String mediaType, @JsonProperty("digest") String digest,
                            @JsonProperty("size") long size,
                            @JsonProperty("annotations") Map<String, String> annotations,
                            @JsonProperty("platform") Platform platform) {

    public Descriptor toDescriptor() {
        return new Descriptor(mediaType, Digest.parse(digest), size,
                annotations == null ? Map.of() : annotations);
    }

    public static OciDescriptor of(Descriptor d) {
        return new OciDescriptor(d.mediaType(), d.digest().toString(), d.size(),
                d.annotations().isEmpty() ? null : d.annotations(), null);
    }
}
