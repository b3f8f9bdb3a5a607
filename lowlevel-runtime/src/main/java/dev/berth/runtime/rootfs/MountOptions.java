package dev.berth.runtime.rootfs;

import static dev.berth.runtime.rootfs.MountFlags.*;

import dev.berth.runtime.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mount's {@code options} split into flags to set, propagation flags and the data string passed to the
 * filesystem, with the same table as runc's.
 */
public record MountOptions(long flags, long propagation, String data) {

    private record Flag(boolean clear, long flag) {}

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("async", new Flag(true, SYNCHRONOUS)),
            Map.entry("atime", new Flag(true, NOATIME)),
            Map.entry("bind", new Flag(false, BIND)),
            Map.entry("defaults", new Flag(false, 0)),
            Map.entry("dev", new Flag(true, NODEV)),
            Map.entry("diratime", new Flag(true, NODIRATIME)),
            Map.entry("dirsync", new Flag(false, DIRSYNC)),
            Map.entry("exec", new Flag(true, NOEXEC)),
            Map.entry("iversion", new Flag(false, I_VERSION)),
            Map.entry("lazytime", new Flag(false, LAZYTIME)),
            Map.entry("loud", new Flag(true, SILENT)),
            Map.entry("mand", new Flag(false, MANDLOCK)),
            Map.entry("noatime", new Flag(false, NOATIME)),
            Map.entry("nodev", new Flag(false, NODEV)),
            Map.entry("nodiratime", new Flag(false, NODIRATIME)),
            Map.entry("noexec", new Flag(false, NOEXEC)),
            Map.entry("noiversion", new Flag(true, I_VERSION)),
            Map.entry("nolazytime", new Flag(true, LAZYTIME)),
            Map.entry("nomand", new Flag(true, MANDLOCK)),
            Map.entry("norelatime", new Flag(true, RELATIME)),
            Map.entry("nostrictatime", new Flag(true, STRICTATIME)),
            Map.entry("nosuid", new Flag(false, NOSUID)),
            Map.entry("nosymfollow", new Flag(false, NOSYMFOLLOW)),
            Map.entry("rbind", new Flag(false, BIND | REC)),
            Map.entry("relatime", new Flag(false, RELATIME)),
            Map.entry("remount", new Flag(false, REMOUNT)),
            Map.entry("ro", new Flag(false, RDONLY)),
            Map.entry("rw", new Flag(true, RDONLY)),
            Map.entry("silent", new Flag(false, SILENT)),
            Map.entry("strictatime", new Flag(false, STRICTATIME)),
            Map.entry("suid", new Flag(true, NOSUID)),
            Map.entry("symfollow", new Flag(true, NOSYMFOLLOW)),
            Map.entry("sync", new Flag(false, SYNCHRONOUS)));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", PRIVATE, "rprivate", PRIVATE | REC,
            "shared", SHARED, "rshared", SHARED | REC,
            "slave", SLAVE, "rslave", SLAVE | REC,
            "unbindable", UNBINDABLE, "runbindable", UNBINDABLE | REC);

    /** Every option word this runtime understands, sorted (what {@code features} lists). */
    public static List<String> known() {
        List<String> all = new ArrayList<>(FLAGS.keySet());
        all.addAll(PROPAGATION.keySet());
        all.sort(null);
        return all;
    }

    /** Parses a mount's options; {@code what} names the mount in errors. */
    public static MountOptions parse(List<String> options, String what) {
        long flags = 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        for (String option : options) {
            Flag f = FLAGS.get(option);
            if (f != null) {
                flags = f.clear() ? flags & ~f.flag() : flags | f.flag();
            } else if (PROPAGATION.containsKey(option)) {
                propagation |= PROPAGATION.get(option);
            } else if (option.equals("idmap") || option.equals("ridmap")) {
                throw new SpecException(what + ": idmapped mounts are not supported");
            } else if (option.equals("tmpcopyup")) {
                throw new SpecException(what + ": option tmpcopyup is not supported");
            } else if (option.startsWith("r") && FLAGS.containsKey(option.substring(1))
                    && !option.equals("rbind") && !option.equals("relatime") && !option.equals("remount")) {
                throw new SpecException(what + ": recursive option " + option + " is not supported");
            } else {
                data.add(option);
            }
        }
        return new MountOptions(flags, propagation, String.join(",", data));
    }

    /** The propagation flags of {@code linux.rootfsPropagation}; runc's default for an empty value is rslave. */
    public static long rootPropagation(String value) {
        if (value == null || value.isEmpty()) {
            return SLAVE | REC;
        }
        Long flags = PROPAGATION.get(value);
        if (flags == null) {
            throw new SpecException("rootfsPropagation " + value + " is not a valid propagation type");
        }
        return flags;
    }
}
