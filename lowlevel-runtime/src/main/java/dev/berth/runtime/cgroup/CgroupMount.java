package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A cgroup or cgroup2 mount from {@code /proc/self/mountinfo}.
 *
 * @param root        the directory of the hierarchy that is mounted (field 4, usually {@code /})
 * @param mountPoint  where it is mounted (field 5)
 * @param fsType      {@code cgroup} or {@code cgroup2}
 * @param controllers the super options without generic flags, in their order: {@code cpu,cpuacct}
 */
record CgroupMount(String root, String mountPoint, String fsType, String controllers) {

    /** Super options that are flags of the cgroup filesystem rather than controllers. */
    private static final Set<String> FLAGS = Set.of("rw", "ro", "xattr", "noprefix", "clone_children",
            "cpuset_v2_mode", "nsdelegate", "memory_recursiveprot", "memory_localevents", "favordynmods",
            "memory_hugetlb_accounting", "pids_localevents");

    boolean isV2() {
        return fsType.equals("cgroup2");
    }

    Set<String> controllerSet() {
        return controllers.isEmpty() ? Set.of() : Set.of(controllers.split(","));
    }

    /** The cgroup mounts, one per v1 hierarchy (the first mount of a hierarchy wins), in mountinfo order. */
    static List<CgroupMount> read(Path mountInfo) {
        String text;
        try {
            text = Files.readString(mountInfo);
        } catch (IOException e) {
            throw HostCgroupFs.failure("read", mountInfo, e);
        }
        return parse(text);
    }

    static List<CgroupMount> parse(String text) {
        List<CgroupMount> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : text.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                continue;
            }
            String type = post[0];
            if (!type.equals("cgroup") && !type.equals("cgroup2")) {
                continue;
            }
            List<String> controllers = new ArrayList<>();
            for (String opt : post[2].split(",")) {
                if (!FLAGS.contains(opt) && !opt.startsWith("release_agent=")) {
                    controllers.add(opt);
                }
            }
            CgroupMount m = new CgroupMount(unescape(pre[3]), unescape(pre[4]), type, String.join(",", controllers));
            if (seen.add(type + ":" + m.controllers())) {
                out.add(m);
            }
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
