package dev.berth.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The options records of the typed calls, each with docker's defaults as {@code DEFAULT}. */
public final class Options {
    private Options() {
    }

    /** {@code docker ps}: running only unless {@code all}; docker's filters (name, label, status, …). */
    public record ListContainers(boolean all, Map<String, List<String>> filters, int limit, boolean size) {
        public static final ListContainers DEFAULT = new ListContainers(false, Map.of(), 0, false);

        public ListContainers {
            filters = Map.copyOf(filters);
        }
    }

    /** {@code docker rm}: {@code force} kills a running container; {@code volumes} removes its anonymous volumes. */
    public record Remove(boolean force, boolean volumes) {
        public static final Remove DEFAULT = new Remove(false, false);
    }

    /** {@code docker logs}: {@code tail} lines from the end (empty for all), {@code since}/{@code until}. */
    public record Logs(boolean follow, boolean stdout, boolean stderr, Optional<Long> tail, Optional<Instant> since,
                       Optional<Instant> until) {
        public static final Logs DEFAULT = new Logs(false, true, true, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** {@code docker attach}: which streams, whether to replay the log first, the detach keys. */
    public record Attach(boolean stdin, boolean stdout, boolean stderr, boolean logs, String detachKeys) {
        public static final Attach DEFAULT = new Attach(false, true, true, false, "");
    }

    /** {@code docker events}: replay from {@code since}, stop at {@code until}, docker's filters. */
    public record Events(Optional<Instant> since, Optional<Instant> until, Map<String, List<String>> filters) {
        public static final Events DEFAULT = new Events(Optional.empty(), Optional.empty(), Map.of());

        public Events {
            filters = Map.copyOf(filters);
        }
    }

    /** {@code docker cp} into a container. */
    public record CopyTo(boolean noOverwriteDirNonDir, boolean copyUidGid) {
        public static final CopyTo DEFAULT = new CopyTo(true, false);
    }

    /**
     * {@code docker build}: the Dockerfile's path in the context (empty for {@code Dockerfile}) or its text (for
     * {@code -f -}), tags, target stage, cache and pull switches, labels, build args, quiet, RUN's network.
     */
    public record Build(String dockerfile, Optional<String> dockerfileText, List<String> tags, String target,
                        boolean noCache, boolean pull, Map<String, String> labels, Map<String, String> buildArgs,
                        boolean quiet, String networkMode) {
        public static final Build DEFAULT = new Build("", Optional.empty(), List.of(), "", false, false, Map.of(),
                Map.of(), false, "");

        public Build {
            tags = List.copyOf(tags);
            labels = Map.copyOf(labels);
            buildArgs = Map.copyOf(buildArgs);
        }
    }
}
