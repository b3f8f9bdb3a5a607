package dev.berth.manager.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This process's mount table ({@code /proc/self/mountinfo}), read to find what is mounted at or under a path. */
final class MountInfo {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountInfo() {}

    /** Mount points at or below {@code dir}, deepest first, once per mount (stacked mounts repeat). */
    static List<Path> at(Path dir) throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        for (String line : Files.readAllLines(MOUNTINFO)) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                Path mountPoint = Path.of(unescape(fields[4]));
                if (mountPoint.startsWith(base)) {
                    found.add(mountPoint);
                }
            }
        }
        found.sort((a, b) -> b.getNameCount() - a.getNameCount());
        return found;
    }

    /** The kernel escapes space, tab, newline and backslash in mountinfo as {@code \ooo}. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
