package dev.berth.manager.engine;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.engine.volume.ContainerMount;
import dev.berth.model.ContainerJson;
import dev.berth.model.ContainerState;
import dev.berth.model.ContainerSummary;
import dev.berth.model.MountPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** docker's views of containers: the inspect document, the list's summaries, its filters and status texts. */
final class ContainerViews {
    private static final List<String> STATUSES = List.of("created", "restarting", "running", "removing", "paused",
            "exited", "dead");

    private ContainerViews() {
    }

    static ContainerJson inspect(EngineContainer c, Path logPath, Path dir, List<String> execIds,
                                 Map<String, Object> network) {
        EngineContainer.RunState s = c.state();
        ContainerStatus status = c.status();
        ContainerState state = new ContainerState(s.status(), status.isRunningForDocker(),
                status == ContainerStatus.PAUSED, status == ContainerStatus.RESTARTING, s.oomKilled(),
                status == ContainerStatus.DEAD, s.pid(), s.exitCode(), s.error() == null ? "" : s.error(),
                time(s.startedAt()), time(s.finishedAt()), s.health());
        return new ContainerJson(c.id(), c.created(), c.path(), c.args(), state, c.image(),
                dir.resolve("resolv.conf").toString(), dir.resolve("hostname").toString(),
                dir.resolve("hosts").toString(), logPath.toString(), "/" + c.name(), c.restartCount(),
                c.snapshotter(), "linux", "", "", "", execIds.isEmpty() ? null : execIds, c.hostConfig(),
                mountPoints(c.mounts()), c.config(), network);
    }

    static List<MountPoint> mountPoints(List<ContainerMount> mounts) {
        return mounts.stream().map(m -> new MountPoint(m.type(), m.type().equals("volume") ? m.name() : null,
                m.source(), m.destination(), m.type().equals("volume") ? "local" : null, m.mode(), m.readWrite(),
                m.propagation())).toList();
    }

    private static String time(String t) {
        return t == null || t.isEmpty() ? ContainerState.ZERO_TIME : t;
    }

    static List<ContainerSummary> list(List<EngineContainer> every, boolean all, Map<String, List<String>> filters,
                                       int limit, Instant now) {
        for (String key : filters.keySet()) {
            if (!List.of("name", "id", "label", "status", "ancestor", "volume", "exited", "before", "since",
                    "health", "network", "is-task", "publish", "expose").contains(key)) {
                throw BerthException.invalidArgument("invalid filter '" + key + "'");
            }
        }
        for (String st : filters.getOrDefault("status", List.of())) {
            if (!STATUSES.contains(st)) {
                throw BerthException.invalidArgument("invalid filter 'status=" + st + "'");
            }
        }
        boolean showAll = all || limit > 0 || filters.containsKey("status") || filters.containsKey("exited");
        Instant before = bound(every, filters.get("before"));
        Instant since = bound(every, filters.get("since"));
        List<EngineContainer> sorted = new ArrayList<>(every);
        sorted.sort(Comparator.comparing((EngineContainer c) -> Instant.parse(c.created())).reversed());
        List<ContainerSummary> out = new ArrayList<>();
        for (EngineContainer c : sorted) {
            if (!showAll && !c.status().isRunningForDocker()) {
                continue;
            }
            Instant created = Instant.parse(c.created());
            if ((before != null && !created.isBefore(before)) || (since != null && !created.isAfter(since))) {
                continue;
            }
            if (!matches(c, filters)) {
                continue;
            }
            out.add(summary(c, now));
            if (limit > 0 && out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    private static Instant bound(List<EngineContainer> every, List<String> refs) {
        if (refs == null || refs.isEmpty()) {
            return null;
        }
        String ref = refs.getFirst();
        String name = ref.startsWith("/") ? ref.substring(1) : ref;
        for (EngineContainer c : every) {
            if (c.id().equals(ref) || c.name().equals(name)) {
                return Instant.parse(c.created());
            }
        }
        List<EngineContainer> prefixed = every.stream().filter(c -> c.id().startsWith(ref)).toList();
        if (prefixed.size() == 1) {
            return Instant.parse(prefixed.getFirst().created());
        }
        throw BerthException.notFound("No such container: " + ref);
    }

    private static boolean matches(EngineContainer c, Map<String, List<String>> filters) {
        for (var f : filters.entrySet()) {
            if (f.getValue().isEmpty() || f.getKey().equals("before") || f.getKey().equals("since")) {
                continue;
            }
            // docker: the values of one filter are alternatives, but every label asked for must be there
            boolean ok = f.getKey().equals("label") ? f.getValue().stream().allMatch(v -> matches(c, "label", v))
                    : f.getValue().stream().anyMatch(v -> matches(c, f.getKey(), v));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(EngineContainer c, String key, String v) {
        Map<String, String> labels = c.config().labels() == null ? Map.of() : c.config().labels();
        return switch (key) {
            case "name" -> regex(v).matcher("/" + c.name()).find();
            case "id" -> c.id().startsWith(v);
            case "label" -> v.contains("=") ? v.substring(v.indexOf('=') + 1).equals(labels.get(v.substring(0,
                    v.indexOf('=')))) : labels.containsKey(v);
            case "status" -> c.state().status().equals(v);
            case "ancestor" -> ancestor(c, v);
            case "volume" -> c.mounts().stream().anyMatch(m -> v.equals(m.name()) || v.equals(m.destination()));
            case "exited" -> c.status() == ContainerStatus.EXITED && Integer.toString(c.state().exitCode()).equals(v);
            case "health" -> v.equals(c.state().health() == null ? "none" : c.state().health().status());
            default -> true;
        };
    }

    private static Pattern regex(String v) {
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            throw BerthException.invalidArgument("invalid filter 'name=" + v + "': " + e.getDescription());
        }
    }

    private static boolean ancestor(EngineContainer c, String v) {
        if (v.equals(c.imageName()) || v.equals(c.image())) {
            return true;
        }
        String hex = v.startsWith("sha256:") ? v.substring(7) : v;
        if (!hex.isEmpty() && hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)
                && c.image().substring(7).startsWith(hex)) {
            return true;
        }
        String withTag = v.contains(":") ? v : v + ":latest";
        String given = c.imageName().contains(":") ? c.imageName() : c.imageName() + ":latest";
        return withTag.equals(given) || ("docker.io/library/" + withTag).equals(given)
                || withTag.equals("docker.io/library/" + given);
    }

    static ContainerSummary summary(EngineContainer c, Instant now) {
        List<String> argv = new ArrayList<>();
        argv.add(c.path());
        argv.addAll(c.args());
        Map<String, Object> network = Map.of("Networks", Map.of());
        String mode = c.hostConfig().networkMode() == null ? "default" : c.hostConfig().networkMode();
        return new ContainerSummary(c.id(), List.of("/" + c.name()), c.imageName(), c.image(),
                String.join(" ", argv), Instant.parse(c.created()).getEpochSecond(), List.of(), null, null,
                c.config().labels() == null ? Map.of() : c.config().labels(), c.state().status(),
                statusText(c, now), Map.of("NetworkMode", mode), network, mountPoints(c.mounts()));
    }

    /** docker's human status: "Up 3 seconds (healthy)", "Exited (1) 2 minutes ago", "Created", … */
    static String statusText(EngineContainer c, Instant now) {
        EngineContainer.RunState s = c.state();
        return switch (c.status()) {
            case CREATED -> "Created";
            case RUNNING, PAUSED -> {
                String up = "Up " + human(Duration.between(Instant.parse(s.startedAt()), now));
                if (c.status() == ContainerStatus.PAUSED) {
                    yield up + " (Paused)";
                }
                yield s.health() == null ? up : up + " (" + (s.health().status().equals(HealthMonitor.STARTING)
                        ? "health: starting" : s.health().status()) + ")";
            }
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + ago(s.finishedAt(), now);
            case EXITED -> "Exited (" + s.exitCode() + ") " + ago(s.finishedAt(), now);
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
        };
    }

    private static String ago(String finished, Instant now) {
        return finished == null || finished.isEmpty() ? "" : human(Duration.between(Instant.parse(finished), now))
                + " ago";
    }

    /** docker's {@code units.HumanDuration}. */
    static String human(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }
}
