package dev.berth.manager.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * libcni's result cache, in its format, so standard tools read it: one JSON file per attachment at
 * {@code <dir>/results/<network>-<containerId>-<ifName>} holding {@code kind: "cniCacheV1"}, the container id, the
 * configuration list's bytes (base64, as Go writes {@code []byte}), the interface, the network name, the netns,
 * the {@code CNI_ARGS} pairs, the capability arguments and the ADD's {@code result}. An entry without a result is
 * an ADD that had not returned: DEL runs without {@code prevResult} then. Files are replaced atomically.
 */
public final class CniCache {

    /** One entry; {@code result} is empty before the ADD returned. */
    public record Entry(String containerId, String networkName, String ifName, String netns, ConfList config,
                        List<List<String>> cniArgs, Map<String, Object> capabilityArgs, Optional<JsonNode> result) {
        public RuntimeConf runtimeConf() {
            return new RuntimeConf(containerId, netns, ifName, cniArgs, capabilityArgs);
        }
    }

    /** A file that is not a readable entry, and why. */
    public record Corrupt(Path file, String reason) {
    }

    /** The entries and the corrupt files of one listing. */
    public record Listing(List<Entry> entries, List<Corrupt> corrupt) {
    }

    private static final String KIND = "cniCacheV1";

    private final Path results;

    public CniCache(Path dir) {
        this.results = dir.resolve("results");
    }

    Path file(String network, String containerId, String ifName) {
        return results.resolve(network + "-" + containerId + "-" + ifName);
    }

    /** Writes (replaces) an entry; with an empty result it records an ADD about to run. */
    public void write(ConfList config, RuntimeConf rt, Optional<JsonNode> result) throws IOException {
        ObjectNode doc = ConfList.JSON.createObjectNode();
        doc.put("kind", KIND);
        doc.put("containerId", rt.containerId());
        doc.put("config", config.bytes());
        doc.put("ifName", rt.ifName());
        doc.put("networkName", config.name());
        doc.put("netns", rt.netns());
        if (!rt.args().isEmpty()) {
            ArrayNode args = doc.putArray("cniArgs");
            rt.args().forEach(pair -> args.addArray().add(pair.get(0)).add(pair.get(1)));
        }
        if (!rt.capabilityArgs().isEmpty()) {
            doc.set("capabilityArgs", ConfList.JSON.valueToTree(rt.capabilityArgs()));
        }
        result.ifPresent(r -> doc.set("result", r));
        Files.createDirectories(results);
        Path target = file(config.name(), rt.containerId(), rt.ifName());
        Path tmp = results.resolve("." + target.getFileName() + ".tmp");
        Files.write(tmp, ConfList.JSON.writeValueAsBytes(doc));
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The entry of one attachment, if cached; a corrupt file is an IOException naming it. */
    public Optional<Entry> read(String network, String containerId, String ifName) throws IOException {
        Path f = file(network, containerId, ifName);
        try {
            return Optional.of(parse(Files.readAllBytes(f), f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Removes an entry; no error if it is gone. */
    public void remove(String network, String containerId, String ifName) throws IOException {
        Files.deleteIfExists(file(network, containerId, ifName));
    }

    /** Removes a (corrupt) file of the cache. */
    public void remove(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Every entry, and every file that is not one (left-over temp files included). */
    public Listing list() throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<Corrupt> corrupt = new ArrayList<>();
        if (!Files.isDirectory(results)) {
            return new Listing(entries, corrupt);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(results)) {
            for (Path f : files) {
                if (f.getFileName().toString().startsWith(".")) {
                    corrupt.add(new Corrupt(f, "an interrupted write"));
                    continue;
                }
                try {
                    entries.add(parse(Files.readAllBytes(f), f));
                } catch (IOException e) {
                    corrupt.add(new Corrupt(f, e.getMessage()));
                }
            }
        }
        return new Listing(entries, corrupt);
    }

    private static Entry parse(byte[] bytes, Path f) throws IOException {
        JsonNode doc;
        try {
            doc = ConfList.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("read cni cache " + f + ": " + e.getMessage(), e);
        }
        if (doc == null || !KIND.equals(doc.path("kind").asText()) || !doc.path("containerId").isTextual()
                || !doc.path("config").isTextual() || !doc.path("ifName").isTextual()) {
            throw new IOException("read cni cache " + f + ": not a " + KIND + " entry");
        }
        ConfList config;
        try {
            config = ConfList.parse(doc.path("config").binaryValue());
        } catch (RuntimeException e) {
            throw new IOException("read cni cache " + f + ": " + e.getMessage(), e);
        }
        List<List<String>> args = new ArrayList<>();
        for (JsonNode pair : doc.path("cniArgs")) {
            args.add(List.of(pair.path(0).asText(), pair.path(1).asText()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> caps = doc.has("capabilityArgs")
                ? ConfList.JSON.convertValue(doc.get("capabilityArgs"), Map.class) : Map.of();
        JsonNode result = doc.get("result");
        return new Entry(doc.path("containerId").asText(), doc.path("networkName").asText(config.name()),
                doc.path("ifName").asText(), doc.path("netns").asText(""), config, args, caps,
                Optional.ofNullable(result == null || result.isNull() ? null : result));
    }
}
