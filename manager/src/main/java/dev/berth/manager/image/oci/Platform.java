package dev.berth.manager.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.api.errdefs.BerthException;

/** An image's platform (OCI image index, "platform"); {@code os/architecture[/variant]}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Platform(@JsonProperty("architecture") String architecture, @JsonProperty("os") String os,
                       @JsonProperty("variant") String variant) {

    /** The platform berthd runs on. */
    public static final Platform LINUX_AMD64 = new Platform("amd64", "linux", null);

    /** Parses {@code os/arch[/variant]}; INVALID_ARGUMENT naming the input otherwise. */
    public static Platform parse(String s) {
        String[] p = s.split("/");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw BerthException.invalidArgument("parse platform " + s + ": want os/arch[/variant]");
        }
        return new Platform(p[1], p[0], p.length == 3 ? p[2] : null);
    }

    /** Whether an index entry of platform {@code other} can run here (os and arch equal; variant if both say). */
    public boolean matches(Platform other) {
        return other != null && os.equals(other.os) && architecture.equals(other.architecture)
                && (variant == null || other.variant == null || variant.equals(other.variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
