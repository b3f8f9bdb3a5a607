package dev.berth.manager.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.image.reference.ImageReference;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docker's image operations over berthd's image store: list (summaries grouped by image id), inspect, history, tag
 * and remove with docker's {@code Untagged}/{@code Deleted} answer and its in-use rule, checked under the engine's
 * image lock so that no container can be created on an image while it is being removed.
 */
public final class EngineImages {
    private final MetadataDb db;
    private final Engine engine;
    private final ImageResolver images;
    private final DockerEvents events;

    public EngineImages(MetadataDb db, Engine engine, DockerEvents events) {
        this.db = db;
        this.engine = engine;
        this.images = new ImageResolver(db);
        this.events = events;
    }

    /** docker's image summaries, one per image id, newest first; {@code dangling} and {@code reference} filters. */
    public List<Map<String, Object>> list(String namespace, Map<String, List<String>> filters) throws IOException {
        Map<String, List<ImageResolver.EngineImage>> byId = new LinkedHashMap<>();
        for (ImageRecord r : images.list(namespace)) {
            ImageResolver.EngineImage i;
            try {
                i = images.resolve(namespace, r);
            } catch (BerthException e) {
                continue; // content missing (an interrupted pull): not an image docker would list
            }
            byId.computeIfAbsent(i.id(), k -> new ArrayList<>()).add(i);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : byId.entrySet()) {
            ImageResolver.EngineImage first = e.getValue().getFirst();
            List<String> tags = new ArrayList<>();
            List<String> digests = new ArrayList<>();
            for (ImageResolver.EngineImage i : e.getValue()) {
                tags.add(shortName(i.record().name()));
                digests.add(repository(i.record().name()) + "@" + i.resolved().manifestDescriptor().digest());
            }
            if (!matches(tags, filters)) {
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("Id", e.getKey());
            s.put("ParentId", "");
            s.put("RepoTags", tags);
            s.put("RepoDigests", digests);
            s.put("Created", created(first));
            s.put("Size", size(first));
            s.put("SharedSize", -1);
            s.put("VirtualSize", size(first));
            s.put("Labels", first.config().labels() == null ? Map.of() : first.config().labels());
            s.put("Containers", usersOf(namespace, e.getKey()).size());
            out.add(s);
        }
        out.sort((a, b) -> Long.compare((long) b.get("Created"), (long) a.get("Created")));
        return out;
    }

    private static boolean matches(List<String> tags, Map<String, List<String>> filters) {
        List<String> refs = filters.getOrDefault("reference", List.of());
        if (refs.isEmpty()) {
            return true;
        }
        for (String ref : refs) {
            for (String t : tags) {
                String repo = t.contains(":") ? t.substring(0, t.lastIndexOf(':')) : t;
                if (t.equals(ref) || repo.equals(ref) || java.nio.file.FileSystems.getDefault()
                        .getPathMatcher("glob:" + ref).matches(java.nio.file.Path.of(t))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** docker's image inspect document. */
    public Map<String, Object> inspect(String namespace, String ref) throws IOException {
        ImageResolver.EngineImage i = images.find(namespace, ref);
        List<String> tags = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (ImageRecord r : images.list(namespace)) {
            if (r.target().digest().equals(i.record().target().digest())) {
                tags.add(shortName(r.name()));
                digests.add(repository(r.name()) + "@" + i.resolved().manifestDescriptor().digest());
            }
        }
        JsonNode config = i.resolved().config().json();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Id", i.id());
        doc.put("RepoTags", tags);
        doc.put("RepoDigests", digests);
        doc.put("Parent", "");
        doc.put("Comment", config.path("comment").asText(""));
        doc.put("Created", config.path("created").asText(""));
        doc.put("Container", "");
        doc.put("DockerVersion", config.path("docker_version").asText(""));
        doc.put("Author", config.path("author").asText(""));
        doc.put("ContainerConfig", containerConfig(config));
        doc.put("Config", i.config());
        doc.put("Architecture", config.path("architecture").asText(""));
        doc.put("Os", config.path("os").asText(""));
        doc.put("Size", size(i));
        doc.put("VirtualSize", size(i));
        doc.put("RootFS", Map.of("Type", "layers", "Layers", i.resolved().config().diffIds()));
        doc.put("Metadata", Map.of("LastTagTime", "0001-01-01T00:00:00Z"));
        return doc;
    }

    /**
     * docker's {@code ContainerConfig} of an image: the config's {@code container_config} (images docker built
     * have one), else docker's zero value (its null fields left out, as berthd's JSON does). Always there, as in docker 20.10: compose reads its {@code Volumes}
     * when it recreates a container.
     */
    static Object containerConfig(JsonNode imageConfig) {
        JsonNode given = imageConfig.path("container_config");
        if (given.isObject()) {
            return given;
        }
        Map<String, Object> zero = new LinkedHashMap<>();
        for (String k : List.of("Hostname", "Domainname", "User")) {
            zero.put(k, "");
        }
        for (String k : List.of("AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce")) {
            zero.put(k, false);
        }
        zero.put("Image", "");
        zero.put("WorkingDir", ""); // Env, Cmd, Volumes, Entrypoint, OnBuild and Labels are null: left out
        return zero;
    }

    /** docker's history: the config's history entries, newest first. */
    public List<Map<String, Object>> history(String namespace, String ref) throws IOException {
        ImageResolver.EngineImage i = images.find(namespace, ref);
        JsonNode history = i.resolved().config().json().path("history");
        List<Map<String, Object>> out = new ArrayList<>();
        List<OciDescriptor> layers = i.resolved().manifest().layers() == null ? List.of()
                : i.resolved().manifest().layers();
        int layer = 0;
        for (JsonNode h : history) {
            boolean empty = h.path("empty_layer").asBoolean(false);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("Id", "<missing>");
            row.put("Created", h.path("created").isMissingNode() ? 0
                    : Instant.parse(h.path("created").asText()).getEpochSecond());
            row.put("CreatedBy", h.path("created_by").asText(""));
            row.put("Tags", null);
            row.put("Size", empty || layer >= layers.size() ? 0 : layers.get(layer).size());
            row.put("Comment", h.path("comment").asText(""));
            if (!empty) {
                layer++;
            }
            out.addFirst(row);
        }
        if (!out.isEmpty()) {
            out.getFirst().put("Id", i.id());
        }
        return out;
    }

    /** docker's tag: {@code target} names the same image as {@code source}. */
    public void tag(String namespace, String source, String target) throws IOException {
        ImageResolver.EngineImage i = images.find(namespace, source);
        String name;
        try {
            name = ImageReference.parse(target).toString();
        } catch (IllegalArgumentException e) {
            throw BerthException.invalidArgument("Error parsing reference: \"" + target + "\" is not a valid "
                    + "repository/tag: " + e.getMessage());
        }
        ImageRecord record = ImageRecord.of(name, i.record().target(), i.record().labels());
        try {
            db.images(namespace).create(record);
        } catch (BerthException e) {
            if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                throw e;
            }
            db.images(namespace).update(record, Set.of("target"));
        }
        events.publish(namespace, "image", "tag", i.id(), null, Map.of("name", name));
    }

    /**
     * docker's rmi: untags a name (deleting the image with its last name) or deletes an image by id; refused
     * while a container uses it (a running one even with force). Answers docker's {@code Untagged}/{@code Deleted}.
     */
    public List<Map<String, String>> remove(String namespace, String ref, boolean force) throws IOException {
        var lock = engine.imageLock().writeLock();
        lock.lock();
        try {
            ImageResolver.EngineImage i = images.find(namespace, ref);
            List<ImageRecord> names = new ArrayList<>();
            for (ImageRecord r : images.list(namespace)) {
                if (r.target().digest().equals(i.record().target().digest())) {
                    names.add(r);
                }
            }
            boolean byId = !i.record().name().equals(ref) && names.stream().noneMatch(r -> r.name().equals(ref)
                    || shortName(r.name()).equals(ref) || shortName(r.name()).equals(ref + ":latest"));
            String id12 = i.id().substring(7, 19);
            List<EngineContainer> users = usersOf(namespace, i.id());
            List<ImageRecord> untag = byId ? names : List.of(i.record());
            if (byId && names.size() > 1 && !force) {
                throw BerthException.failedPrecondition("conflict: unable to delete " + id12 + " (must be forced) - "
                        + "image is referenced in multiple repositories");
            }
            boolean last = untag.size() == names.size();
            if (last && !users.isEmpty()) {
                EngineContainer user = users.getFirst();
                boolean running = users.stream().anyMatch(c -> c.status().isRunningForDocker());
                if (running && byId) {
                    throw BerthException.failedPrecondition("conflict: unable to delete " + id12 + " (cannot be "
                            + "forced) - image is being used by running container " + user.id().substring(0, 12));
                }
                if (!force) {
                    throw BerthException.failedPrecondition(byId
                            ? "conflict: unable to delete " + id12 + " (must be forced) - image is being used by "
                                    + "stopped container " + user.id().substring(0, 12)
                            : "conflict: unable to remove repository reference \"" + ref + "\" (must force) - "
                                    + "container " + user.id().substring(0, 12) + " is using its referenced image "
                                    + id12);
                }
            }
            List<Map<String, String>> out = new ArrayList<>();
            for (ImageRecord r : untag) {
                db.images(namespace).delete(r.name());
                out.add(Map.of("Untagged", shortName(r.name())));
                events.publish(namespace, "image", "untag", i.id(), null, Map.of("name", r.name()));
            }
            if (last) {
                // docker's rmi frees the space before it answers: collect now rather than in the background
                db.garbageCollect();
                out.add(Map.of("Deleted", i.id()));
                events.publish(namespace, "image", "delete", i.id(), null, Map.of("name", i.id()));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    private List<EngineContainer> usersOf(String namespace, String imageId) throws IOException {
        return engine.containers(namespace).stream().filter(c -> c.image().equals(imageId)).toList();
    }

    /** docker's familiar form: {@code docker.io/library/busybox:latest} is {@code busybox:latest}. */
    static String shortName(String name) {
        if (name.startsWith("docker.io/library/")) {
            return name.substring("docker.io/library/".length());
        }
        return name.startsWith("docker.io/") ? name.substring("docker.io/".length()) : name;
    }

    private static String repository(String name) {
        String s = shortName(name);
        int at = s.indexOf('@');
        if (at >= 0) {
            return s.substring(0, at);
        }
        int colon = s.lastIndexOf(':');
        return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
    }

    private static long created(ImageResolver.EngineImage i) {
        String c = i.resolved().config().json().path("created").asText("");
        return c.isEmpty() ? 0 : Instant.parse(c).getEpochSecond();
    }

    private static long size(ImageResolver.EngineImage i) {
        long size = 0;
        if (i.resolved().manifest().layers() != null) {
            for (OciDescriptor l : i.resolved().manifest().layers()) {
                size += l.size();
            }
        }
        return size;
    }
}
