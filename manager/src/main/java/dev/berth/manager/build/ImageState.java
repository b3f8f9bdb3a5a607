package dev.berth.manager.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manager.image.ChainIds;
import dev.berth.manager.image.ContentBlobs;
import dev.berth.manager.image.ResolvedImage;
import dev.berth.manager.image.oci.ImageConfig;
import dev.berth.manager.image.oci.MediaTypes;
import dev.berth.manager.image.oci.OciDescriptor;
import java.util.List;

/**
 * An image as a build step holds it: where it is recorded, its config (the whole JSON document, edited by the next
 * step on a copy) and its layers.
 *
 * @param name   the image record the engine finds it by (a base image's name or a cache entry's); empty for
 *               {@code scratch}
 * @param id     docker's image id ({@code sha256:} of the config); empty for {@code scratch}
 * @param docker whether the image is of Docker's media types (else OCI's), kept by every step built on it
 */
record ImageState(String name, String id, ObjectNode config, List<OciDescriptor> layers, boolean docker) {

    ImageState {
        layers = List.copyOf(layers);
    }

    /** {@code FROM scratch}: no layers, an empty config for linux/amd64. */
    static ImageState scratch() {
        ObjectNode config = ContentBlobs.JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.putObject("config");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids");
        return new ImageState("", "", config, List.of(), false);
    }

    static ImageState of(String name, ResolvedImage image) {
        return new ImageState(name, image.configDescriptor().digest().toString(), image.config().json().deepCopy(),
                image.manifest().layers() == null ? List.of() : image.manifest().layers(), image.isDocker());
    }

    /** The process settings ({@code config}: Env, Cmd, WorkingDir, …) of a copy of the config to edit. */
    ObjectNode process() {
        return config.get("config") instanceof ObjectNode o ? o : config.putObject("config");
    }

    List<String> diffIds() {
        return new ImageConfig(config).diffIds();
    }

    /** The chain id of the top layer: the committed snapshot a container or a view of this image starts from. */
    String topChain() {
        List<String> chains = ChainIds.of(diffIds());
        return chains.isEmpty() ? "" : chains.getLast();
    }

    /** The config's {@code Env} as a list of {@code KEY=value}. */
    List<String> env() {
        return process().get("Env") instanceof ArrayNode a ? java.util.stream.StreamSupport.stream(a.spliterator(),
                false).map(n -> n.asText()).toList() : List.of();
    }

    String layerMediaType() {
        return docker ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP;
    }

    String configMediaType() {
        return docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG;
    }

    String manifestMediaType() {
        return docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
    }
}
