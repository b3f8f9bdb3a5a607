package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.log.Log;
import dev.berth.manager.image.oci.OciDescriptor;
import dev.berth.manager.metadata.ImageRecord;
import dev.berth.manager.metadata.MetadataDb;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker's {@code image prune}: the images no container uses (in any state), only the dangling ones unless the
 * filter {@code dangling=false}, narrowed by {@code until} (created before a time or a duration ago) and
 * {@code label}/{@code label!}. Each goes as docker's {@code rmi} of each of its names would (through
 * {@link EngineImages#remove}, so its in-use check holds). An image is dangling when none of its names has a tag:
 * berthd's store keeps images by name, so an untagged image is one known only by digest ({@code repo@sha256:…}),
 * as nerdctl counts them.
 */
public final class ImagePrune {
    private static final Log LOG = Log.of(ImagePrune.class);
    private static final Set<String> KEYS = Set.of("dangling", "until", "label", "label!");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private final Engine engine;
    private final EngineImages images;
    private final MetadataDb db;
    private final Clock clock;

    public ImagePrune(Engine engine, EngineImages images, MetadataDb db, Clock clock) {
        this.engine = engine;
        this.images = images;
        this.db = db;
        this.clock = clock;
    }

    /** What went: docker's {@code ImagesDeleted} items in order, the ids deleted, and the bytes their layers held. */
    public record Report(List<Map<String, String>> items, List<String> deleted, long spaceReclaimed) {
    }

    public Report prune(String namespace, Map<String, List<String>> filters) throws IOException {
        for (String k : filters.keySet()) {
            if (!KEYS.contains(k)) {
                throw BerthException.invalidArgument("Invalid filter '" + k + "'");
            }
        }
        boolean danglingOnly = danglingOnly(filters.getOrDefault("dangling", List.of()));
        Instant until = filters.getOrDefault("until", List.of()).stream().findFirst().map(this::until).orElse(null);
        ImageResolver resolver = new ImageResolver(db);
        Map<String, List<ImageRecord>> namesById = new LinkedHashMap<>();
        Map<String, ImageResolver.EngineImage> byId = new LinkedHashMap<>();
        for (ImageRecord r : resolver.list(namespace)) {
            try {
                ImageResolver.EngineImage i = resolver.resolve(namespace, r);
                namesById.computeIfAbsent(i.id(), k -> new ArrayList<>()).add(r);
                byId.putIfAbsent(i.id(), i);
            } catch (BerthException e) {
                // content missing: not an image docker would list or prune
            }
        }
        Set<String> used = new HashSet<>();
        engine.containers(namespace).forEach(c -> used.add(c.image()));
        List<Map<String, String>> items = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (var e : namesById.entrySet()) {
            ImageResolver.EngineImage image = byId.get(e.getKey());
            boolean dangling = e.getValue().stream().allMatch(r -> untagged(r.name()));
            if (used.contains(e.getKey()) || (danglingOnly && !dangling) || !created(image, until)
                    || !labelled(image, filters)) {
                continue;
            }
            try {
                for (ImageRecord r : e.getValue()) {
                    items.addAll(images.remove(namespace, r.name(), false));
                }
                deleted.add(e.getKey());
            } catch (BerthException ex) {
                if (ex.kind() != ErrorKind.FAILED_PRECONDITION && ex.kind() != ErrorKind.NOT_FOUND) {
                    throw ex;
                }
                LOG.debug("prune: image kept", "id", e.getKey(), "error", ex.getMessage());
            }
        }
        return new Report(items, deleted, reclaimed(byId, deleted));
    }

    /** The bytes of the deleted images' layers that no remaining image has. */
    private static long reclaimed(Map<String, ImageResolver.EngineImage> byId, List<String> deleted) {
        Set<String> kept = new HashSet<>();
        byId.forEach((id, i) -> {
            if (!deleted.contains(id)) {
                layers(i).forEach(l -> kept.add(l.digest()));
            }
        });
        Map<String, Long> freed = new LinkedHashMap<>();
        for (String id : deleted) {
            layers(byId.get(id)).stream().filter(l -> !kept.contains(l.digest()))
                    .forEach(l -> freed.put(l.digest(), l.size()));
        }
        return freed.values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<OciDescriptor> layers(ImageResolver.EngineImage i) {
        List<OciDescriptor> ls = i.resolved().manifest().layers();
        return ls == null ? List.of() : ls;
    }

    private static boolean danglingOnly(List<String> values) {
        boolean only = true;
        for (String v : values) {
            switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> only = true;
                case "false", "0" -> only = false;
                default -> throw BerthException.invalidArgument("Invalid filter 'dangling=" + v + "'");
            }
        }
        return only;
    }

    /** A name without a tag: {@code repo@sha256:…}. */
    static boolean untagged(String name) {
        int at = name.indexOf('@');
        return at >= 0 && !name.substring(name.lastIndexOf('/', at) + 1, at).contains(":");
    }

    private static boolean created(ImageResolver.EngineImage i, Instant until) {
        if (until == null) {
            return true;
        }
        String c = i.resolved().config().json().path("created").asText("");
        return !c.isEmpty() && Instant.parse(c).isBefore(until);
    }

    /** docker's {@code label} (each must hold) and {@code label!} (none may hold): {@code key} or {@code key=value}. */
    static boolean labelled(ImageResolver.EngineImage i, Map<String, List<String>> filters) {
        Map<String, String> labels = i.config().labels() == null ? Map.of() : i.config().labels();
        for (String l : filters.getOrDefault("label", List.of())) {
            if (!holds(labels, l)) {
                return false;
            }
        }
        for (String l : filters.getOrDefault("label!", List.of())) {
            if (holds(labels, l)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        return eq < 0 ? labels.containsKey(filter)
                : filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    /** docker's {@code GetTimestamp}: a Go duration ago ({@code 24h}, {@code 1h30m}), unix seconds, or RFC 3339. */
    Instant until(String value) {
        String v = value.strip();
        Matcher m = DURATION.matcher(v);
        if (!v.isEmpty() && m.lookingAt()) {
            long nanos = 0;
            int end = 0;
            m.reset();
            while (m.find() && m.start() == end) {
                double n = Double.parseDouble(m.group(1));
                long unit = switch (m.group(2)) {
                    case "ns" -> 1L;
                    case "us", "µs" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                };
                nanos += (long) (n * unit);
                end = m.end();
            }
            if (end == v.length()) {
                return clock.instant().minus(Duration.ofNanos(nanos));
            }
        }
        if (v.matches("\\d+(\\.\\d+)?")) {
            double seconds = Double.parseDouble(v);
            return Instant.ofEpochSecond((long) seconds, (long) ((seconds - Math.floor(seconds)) * 1e9));
        }
        try {
            return Instant.parse(v.length() == 10 ? v + "T00:00:00Z" : v);
        } catch (DateTimeParseException e) {
            throw BerthException.invalidArgument("failed to parse value as time or duration: \"" + v + "\"");
        }
    }
}
