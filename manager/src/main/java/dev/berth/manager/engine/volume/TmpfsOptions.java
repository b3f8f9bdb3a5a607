package dev.berth.manager.engine.volume;

import dev.berth.api.errdefs.BerthException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * docker's tmpfs options: the defaults {@code noexec,nosuid,nodev} and rprivate, then the user's, merged as
 * moby's {@code MergeTmpfsOptions} does (the last of each flag pair and of each {@code key=value} wins; unknown
 * options are refused).
 */
final class TmpfsOptions {
    /** Each mount flag with the key its opposite shares (ro and rw are one key, as they are one bit). */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("ro", "rdonly"), Map.entry("rw", "rdonly"),
            Map.entry("exec", "noexec"), Map.entry("noexec", "noexec"),
            Map.entry("suid", "nosuid"), Map.entry("nosuid", "nosuid"),
            Map.entry("dev", "nodev"), Map.entry("nodev", "nodev"),
            Map.entry("sync", "sync"), Map.entry("async", "sync"),
            Map.entry("dirsync", "dirsync"),
            Map.entry("atime", "noatime"), Map.entry("noatime", "noatime"),
            Map.entry("diratime", "nodiratime"), Map.entry("nodiratime", "nodiratime"),
            Map.entry("relatime", "relatime"), Map.entry("norelatime", "relatime"),
            Map.entry("strictatime", "strictatime"), Map.entry("nostrictatime", "strictatime"),
            Map.entry("mand", "mand"), Map.entry("nomand", "mand"),
            Map.entry("shared", "propagation"), Map.entry("rshared", "propagation"),
            Map.entry("slave", "propagation"), Map.entry("rslave", "propagation"),
            Map.entry("private", "propagation"), Map.entry("rprivate", "propagation"),
            Map.entry("unbindable", "propagation"), Map.entry("runbindable", "propagation"));
    private static final Set<String> DATA = Set.of("size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol");
    private static final List<String> DEFAULTS = List.of("noexec", "nosuid", "nodev", "rprivate");

    private TmpfsOptions() {
    }

    /** INVALID_ARGUMENT naming the option unless every option of {@code data} is known. */
    static void validate(String destination, String data) {
        merge(destination, data);
    }

    /** The OCI options of a tmpfs at {@code destination} with the user's {@code data}. */
    static List<String> merge(String destination, String data) {
        List<String> options = new ArrayList<>(DEFAULTS);
        if (!data.isEmpty()) {
            options.addAll(List.of(data.split(",")));
        }
        Set<String> seen = new HashSet<>();
        LinkedList<String> out = new LinkedList<>();
        for (String o : options.reversed()) {
            if (o.equals("defaults") || o.isEmpty()) {
                continue;
            }
            String key = FLAGS.get(o);
            if (key == null) {
                int eq = o.indexOf('=');
                if (eq < 0 || !DATA.contains(o.substring(0, eq))) {
                    throw BerthException.invalidArgument("tmpfs " + destination + ": invalid tmpfs option \""
                            + o + "\"");
                }
                key = "data:" + o.substring(0, eq);
            }
            if (seen.add(key)) {
                out.addFirst(o);
            }
        }
        return List.copyOf(out);
    }
}
