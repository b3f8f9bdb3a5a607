package dev.berth.shim.server;

import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The group a container's task joins: the tasks of one group share one shim server (socket and process).
 *
 * <ul>
 *   <li>{@link Scope#NAMESPACE}, the default: every task of a containerd namespace (of one containerd or berthd
 *       instance, whose socket directory holds the server's socket);
 *   <li>{@link Scope#LABEL}: the bundle's spec annotates {@code io.containerd.runc.v2.group} (or
 *       {@code io.kubernetes.cri.sandbox-id}), as containerd's runc shim reads them at {@code start}: per pod;
 *   <li>{@link Scope#CONTAINER}: {@value #MODE_VARIABLE}{@code =container} in containerd's environment gives every
 *       task a server of its own, as before the server (kept for comparison).
 * </ul>
 *
 * <p>{@code berth-shim-start} (C) finds a running server of the {@link Scope#NAMESPACE} group without a JVM, so
 * that group's socket name is a hash simple enough to compute in C as well ({@link #fnv1a64}); the others come
 * from the JVM it spawns, which reads the spec.
 */
record ShimGroup(Scope scope, String name) {
    /** Looked up in this order (containerd: {@code cmd/containerd-shim-runc-v2/manager.go}, groupLabels). */
    static final List<String> ANNOTATIONS = List.of("io.containerd.runc.v2.group", "io.kubernetes.cri.sandbox-id");
    /** The environment variable that selects a server per container ({@code container}). */
    static final String MODE_VARIABLE = "BERTH_SHIM_GROUP";

    /** How wide a group is. */
    enum Scope { NAMESPACE, LABEL, CONTAINER }

    /**
     * The group of the task {@code id} of {@code namespace} whose bundle is {@code bundle}; a bundle without a spec
     * joins the namespace's.
     */
    static ShimGroup of(Path bundle, String namespace, String id, Map<String, String> environment)
            throws IOException {
        if ("container".equals(environment.get(MODE_VARIABLE))) {
            return new ShimGroup(Scope.CONTAINER, id);
        }
        Path config = bundle.resolve("config.json");
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new ShimGroup(Scope.NAMESPACE, namespace);
        }
        Map<String, Object> spec;
        try {
            spec = Json.parseObject(text);
        } catch (JsonException e) {
            throw new IOException("read group of " + config + ": " + e.getMessage(), e);
        }
        if (spec.get("annotations") instanceof Map<?, ?> annotations) {
            for (String key : ANNOTATIONS) {
                if (annotations.get(key) instanceof String group && !group.isEmpty()) {
                    return new ShimGroup(Scope.LABEL, group);
                }
            }
        }
        return new ShimGroup(Scope.NAMESPACE, namespace);
    }

    /**
     * The socket's file name in the instance's socket directory: {@code ns-<16 hex digits of FNV-1a-64(namespace)>}
     * for a namespace's group (berth-shim-start.c computes the same), else 16 hex digits of sha256 of
     * {@code namespace/label} or {@code namespace/id}.
     */
    String socketName(String namespace) {
        if (scope == Scope.NAMESPACE) {
            return "ns-" + HexFormat.of().toHexDigits(fnv1a64(name.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((namespace + "/" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha-256: " + e.getMessage(), e);
        }
    }

    /** FNV-1a, 64 bits: a hash that a few lines of C compute too. */
    static long fnv1a64(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
