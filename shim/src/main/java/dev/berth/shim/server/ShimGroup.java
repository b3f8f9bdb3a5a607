package dev.berth.shim.server;

import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The group a container's task joins, from its bundle's {@code config.json} annotations, as containerd's runc shim
 * reads them at {@code start}: containers of one group share one shim (socket and process).
 */
final class ShimGroup {
    /** Looked up in this order (containerd: {@code cmd/containerd-shim-runc-v2/manager.go}, groupLabels). */
    static final List<String> ANNOTATIONS = List.of("io.containerd.runc.v2.group", "io.kubernetes.cri.sandbox-id");

    private ShimGroup() {}

    /** The group named by the bundle's spec, if any; a bundle without a spec has none. */
    static Optional<String> of(Path bundle) throws IOException {
        Path config = bundle.resolve("config.json");
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Map<String, Object> spec;
        try {
            spec = Json.parseObject(text);
        } catch (JsonException e) {
            throw new IOException("read group of " + config + ": " + e.getMessage(), e);
        }
        if (!(spec.get("annotations") instanceof Map<?, ?> annotations)) {
            return Optional.empty();
        }
        for (String key : ANNOTATIONS) {
            if (annotations.get(key) instanceof String group && !group.isEmpty()) {
                return Optional.of(group);
            }
        }
        return Optional.empty();
    }
}
