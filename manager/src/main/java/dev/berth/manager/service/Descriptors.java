package dev.berth.manager.service;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.content.Descriptor;
import dev.berth.manager.content.Digest;

/** Conversions of {@code containerd.types.Descriptor}. */
public final class Descriptors {

    private Descriptors() {
    }

    public static Descriptor fromProto(String operation, dev.berth.api.types.Descriptor d) {
        Digest digest;
        try {
            digest = Digest.parse(d.getDigest());
        } catch (IllegalArgumentException e) {
            throw BerthException.invalidArgument(operation + ": " + e.getMessage());
        }
        return new Descriptor(d.getMediaType(), digest, d.getSize(), d.getAnnotationsMap());
    }

    public static dev.berth.api.types.Descriptor toProto(Descriptor d) {
        return dev.berth.api.types.Descriptor.newBuilder().setMediaType(d.mediaType())
                .setDigest(d.digest().toString()).setSize(d.size()).putAllAnnotations(d.annotations()).build();
    }
}
