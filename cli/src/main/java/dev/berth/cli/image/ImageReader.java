package dev.berth.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.services.content.v1.ReadContentRequest;
import dev.berth.api.services.content.v1.ReadContentResponse;
import dev.berth.api.services.images.v1.GetImageRequest;
import dev.berth.api.services.images.v1.Image;
import dev.berth.api.types.Descriptor;
import dev.berth.cli.client.DaemonStubs;
import dev.berth.model.DockerJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.client.CliException;
import dev.berth.cli.client.DaemonErrors;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

/**
 * Reads images the way ctr does on the client side: the record from the images service, the manifest (through an
 * index to the linux/amd64 entry) and the config from the content service.
 */
public final class ImageReader {
    private static final String PLATFORM_OS = "linux";
    private static final String PLATFORM_ARCH = "amd64";

    private final DaemonStubs berth;
    private final ObjectMapper json = DockerJson.mapper();

    public ImageReader(DaemonStubs berth) {
        this.berth = berth;
    }

    /** docker's image JSON (the fields a containerd image record and its config give), if the image exists. */
    public Optional<JsonNode> inspect(String reference) {
        Optional<Image> found = find(reference);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ResolvedImage image;
        try {
            image = resolve(found.get());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("inspect image " + reference, e);
        }
        ObjectNode node = json.createObjectNode();
        node.put("Id", image.configDigest());
        node.putArray("RepoTags").add(image.name());
        node.putArray("RepoDigests").add(image.name().replaceFirst(":[^:/]*$", "") + "@" + image.manifestDigest());
        node.put("Created", image.config().path("created").asText(""));
        node.put("Architecture", image.config().path("architecture").asText(""));
        node.put("Os", image.config().path("os").asText(""));
        node.put("Size", image.size());
        node.set("Config", image.runConfig());
        node.set("RootFS", image.config().path("rootfs"));
        return Optional.of(node);
    }

    /** The image recorded under {@code reference} as typed, else under its normalized name. */
    public Optional<Image> find(String reference) {
        Optional<Image> exact = get(reference);
        if (exact.isPresent()) {
            return exact;
        }
        ImageName normalized;
        try {
            normalized = ImageName.parse(reference);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return normalized.name().equals(reference) ? Optional.empty() : get(normalized.name());
    }

    private Optional<Image> get(String name) {
        try {
            return Optional.of(berth.images().get(GetImageRequest.newBuilder().setName(name).build()).getImage());
        } catch (StatusRuntimeException e) {
            if (DaemonErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Follows the image's target to the platform's manifest and reads its config. */
    public ResolvedImage resolve(Image image) throws IOException {
        Descriptor target = image.getTarget();
        JsonNode manifest = readJson(target.getDigest());
        String manifestDigest = target.getDigest();
        if (manifest.has("manifests")) {
            JsonNode chosen = null;
            for (JsonNode entry : manifest.path("manifests")) {
                JsonNode p = entry.path("platform");
                if (PLATFORM_OS.equals(p.path("os").asText()) && PLATFORM_ARCH.equals(p.path("architecture").asText())) {
                    chosen = entry;
                    break;
                }
            }
            if (chosen == null) {
                throw new IOException("image " + image.getName() + ": no manifest for " + PLATFORM_OS + "/"
                        + PLATFORM_ARCH);
            }
            manifestDigest = chosen.path("digest").asText();
            manifest = readJson(manifestDigest);
        }
        JsonNode configDescriptor = manifest.path("config");
        String configDigest = configDescriptor.path("digest").asText();
        long size = configDescriptor.path("size").asLong();
        for (JsonNode layer : manifest.path("layers")) {
            size += layer.path("size").asLong();
        }
        return new ResolvedImage(image.getName(), manifestDigest, configDigest, readJson(configDigest), size);
    }

    public JsonNode readJson(String digest) throws IOException {
        return json.readTree(read(digest));
    }

    /** One blob, whole (manifests and configs are small). */
    public byte[] read(String digest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Iterator<ReadContentResponse> chunks =
                berth.content().read(ReadContentRequest.newBuilder().setDigest(digest).build());
        chunks.forEachRemaining(c -> out.writeBytes(c.getData().toByteArray()));
        return out.toByteArray();
    }
}
