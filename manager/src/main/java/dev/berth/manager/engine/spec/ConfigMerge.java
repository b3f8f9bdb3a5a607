package dev.berth.manager.engine.spec;

import dev.berth.model.ContainerConfig;
import dev.berth.model.HealthConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's merge of an image's config under a run's config (moby {@code daemon/commit.go} {@code merge}): the run's
 * value wins where it is set, the image's fills the rest.
 */
final class ConfigMerge {
    private ConfigMerge() {
    }

    static ContainerConfig merge(ContainerConfig image, ContainerConfig run) {
        if (image == null) {
            return run;
        }
        ContainerConfig.Builder merged = run.toBuilder();
        if (blank(run.user())) {
            merged.user(image.user());
        }
        merged.exposedPorts(union(image.exposedPorts(), run.exposedPorts()));
        merged.volumes(union(image.volumes(), run.volumes()));
        merged.env(env(image.env(), run.env()));
        merged.labels(labels(image.labels(), run.labels()));
        // An entrypoint given (even an empty one: --entrypoint "") replaces the image's and, with it, the image's Cmd.
        if (run.entrypoint() == null) {
            merged.entrypoint(image.entrypoint());
            if (run.cmd() == null || run.cmd().isEmpty()) {
                merged.cmd(image.cmd());
                merged.argsEscaped(image.argsEscaped());
            }
        }
        if (blank(run.workingDir())) {
            merged.workingDir(image.workingDir());
        }
        if (blank(run.stopSignal())) {
            merged.stopSignal(image.stopSignal());
        }
        if (run.shell() == null || run.shell().isEmpty()) {
            merged.shell(image.shell());
        }
        if (run.onBuild() == null || run.onBuild().isEmpty()) {
            merged.onBuild(image.onBuild());
        }
        merged.healthcheck(healthcheck(image.healthcheck(), run.healthcheck()));
        return merged.build();
    }

    /** The run's variables first, then each of the image's whose name the run does not set. */
    private static List<String> env(List<String> image, List<String> run) {
        if (run == null || run.isEmpty()) {
            return image;
        }
        if (image == null) {
            return run;
        }
        List<String> out = new ArrayList<>(run);
        List<String> runKeys = run.stream().map(ConfigMerge::envKey).toList();
        for (String variable : image) {
            if (!runKeys.contains(envKey(variable))) {
                out.add(variable);
            }
        }
        return out;
    }

    static String envKey(String variable) {
        int eq = variable.indexOf('=');
        return eq < 0 ? variable : variable.substring(0, eq);
    }

    private static Map<String, String> labels(Map<String, String> image, Map<String, String> run) {
        if (image == null) {
            return run;
        }
        Map<String, String> out = new LinkedHashMap<>(image);
        if (run != null) {
            out.putAll(run);
        }
        return out;
    }

    private static Map<String, Map<String, Object>> union(Map<String, Map<String, Object>> image,
                                                          Map<String, Map<String, Object>> run) {
        if (image == null) {
            return run;
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>(image);
        if (run != null) {
            out.putAll(run);
        }
        return out;
    }

    /** The run's healthcheck with each unset field taken from the image's ({@code Test} empty inherits it). */
    private static HealthConfig healthcheck(HealthConfig image, HealthConfig run) {
        if (run == null) {
            return image;
        }
        if (image == null) {
            return run;
        }
        return new HealthConfig(
                run.test() == null || run.test().isEmpty() ? image.test() : run.test(),
                zero(run.interval()) ? image.interval() : run.interval(),
                zero(run.timeout()) ? image.timeout() : run.timeout(),
                zero(run.startPeriod()) ? image.startPeriod() : run.startPeriod(),
                run.retries() == null || run.retries() == 0 ? image.retries() : run.retries());
    }

    private static boolean zero(Long value) {
        return value == null || value == 0;
    }

    static boolean blank(String value) {
        return value == null || value.isEmpty();
    }
}
