package dev.berth.sys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Mount data with the paths of its {@code lowerdir}, {@code upperdir} and {@code workdir} options relative to
 * {@code dir}, their longest common parent; the data as it was and no dir when a path is not absolute.
 */
public record RelativeMountData(Optional<Path> dir, String data, int lowerCount) {
    private static final List<String> PATH_OPTIONS = List.of("lowerdir", "upperdir", "workdir");

    public static RelativeMountData of(String data) {
        List<String> options = List.of(data.split(","));
        List<Path> paths = new ArrayList<>();
        int lowers = 0;
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq > 0 && PATH_OPTIONS.contains(option.substring(0, eq))) {
                for (String p : option.substring(eq + 1).split(":")) {
                    paths.add(Path.of(p));
                    lowers += option.startsWith("lowerdir=") ? 1 : 0;
                }
            }
        }
        if (paths.isEmpty() || paths.stream().anyMatch(p -> !p.isAbsolute() || p.getParent() == null)) {
            return new RelativeMountData(Optional.empty(), data, lowers);
        }
        Path common = paths.getFirst().getParent();
        for (Path p : paths) {
            while (!p.startsWith(common) || p.equals(common)) {
                common = common.getParent();
            }
        }
        List<String> rewritten = new ArrayList<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq > 0 && PATH_OPTIONS.contains(option.substring(0, eq))) {
                Path dir = common;
                rewritten.add(option.substring(0, eq + 1) + String.join(":", Arrays.stream(
                        option.substring(eq + 1).split(":")).map(p -> dir.relativize(Path.of(p)).toString()).toList()));
            } else {
                rewritten.add(option);
            }
        }
        return new RelativeMountData(Optional.of(common), String.join(",", rewritten), lowers);
    }
}
