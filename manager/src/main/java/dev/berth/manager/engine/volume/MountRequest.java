package dev.berth.manager.engine.volume;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.fs.CleanPath;
import dev.berth.model.Mount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mount a container asked for, parsed and checked but not resolved: from {@code HostConfig.Binds}
 * ({@code -v}), {@code HostConfig.Mounts} ({@code --mount}) or {@code HostConfig.Tmpfs} ({@code --tmpfs}), with
 * docker's syntax, defaults and error wording (moby's {@code volume/mounts/linux_parser.go}).
 *
 * @param type       "bind", "volume" or "tmpfs"
 * @param source     a bind's host path, a volume's name ({@code ""} for an anonymous volume), {@code ""} for tmpfs
 * @param mode       docker's inspect {@code Mode}: the {@code -v} mode string ("z" for a volume without one)
 * @param propagation a bind's propagation (rprivate unless given), else empty
 * @param tmpfsData  a tmpfs's options as {@code --tmpfs} takes them ({@code size=64m,mode=1777}), else empty
 * @param origin     where it came from: a missing bind source is created for BINDS ({@code -v}, and
 *                   {@code --mount} with {@code BindOptions.CreateMountpoint}), refused for MOUNTS
 */
record MountRequest(String type, String source, String destination, boolean readOnly, String mode,
                    String propagation, boolean noCopy, boolean nonRecursive, Map<String, String> volumeLabels,
                    String tmpfsData, Origin origin) {

    static final String BIND = "bind";
    static final String VOLUME = "volume";
    static final String TMPFS = "tmpfs";

    /** Where a request came from. */
    enum Origin { BINDS, MOUNTS, TMPFS }

    private static final Set<String> PROPAGATIONS = Set.of("shared", "rshared", "slave", "rslave", "private",
            "rprivate");
    private static final Set<String> CONSISTENCIES = Set.of("consistent", "cached", "delegated", "default");
    private static final String DEFAULT_PROPAGATION = "rprivate";

    MountRequest {
        volumeLabels = volumeLabels == null ? Map.of() : Map.copyOf(volumeLabels);
    }

    /** A {@code -v} spec: {@code /ctr}, {@code name:/ctr[:mode]} or {@code /host:/ctr[:mode]}. */
    static MountRequest ofBind(String spec) {
        String[] parts = spec.split(":", -1);
        String source;
        String destination;
        String mode = "";
        switch (parts.length) {
            case 1 -> {
                source = "";
                destination = parts[0];
            }
            case 2 -> {
                if (validMode(parts[1])) { // "/x:ro": no destination
                    throw invalidSpec(spec);
                }
                source = parts[0];
                destination = parts[1];
            }
            case 3 -> {
                source = parts[0];
                destination = parts[1];
                mode = parts[2];
                if (!validMode(mode)) {
                    throw BerthException.invalidArgument("invalid mode: " + mode);
                }
            }
            default -> throw invalidSpec(spec);
        }
        if (destination.isEmpty() || (parts.length > 1 && source.isEmpty())) {
            throw invalidSpec(spec);
        }
        String type = source.isEmpty() || !source.startsWith("/") ? VOLUME : BIND;
        if (type.equals(VOLUME) && !source.isEmpty()) {
            VolumeName.validate("create", source);
        }
        String target = containerPath(type, destination);
        boolean readOnly = false;
        boolean noCopy = false;
        String propagation = type.equals(BIND) ? DEFAULT_PROPAGATION : "";
        for (String o : mode.isEmpty() ? new String[0] : mode.split(",")) {
            if (o.equals("ro")) {
                readOnly = true;
            } else if (o.equals("nocopy")) {
                noCopy = true;
            } else if (PROPAGATIONS.contains(o) && type.equals(BIND)) {
                propagation = o;
            }
        }
        String shownMode = type.equals(VOLUME) && mode.isEmpty() ? "z" : mode;
        return new MountRequest(type, type.equals(BIND) ? clean(source) : source, target, readOnly, shownMode,
                propagation, noCopy, false, Map.of(), "", Origin.BINDS);
    }

    /** A {@code --mount} (an element of {@code HostConfig.Mounts}), checked as moby's validateMountConfig. */
    static MountRequest ofMount(Mount m) {
        String type = m.type() == null ? "" : m.type();
        String source = m.source() == null ? "" : m.source();
        boolean readOnly = Boolean.TRUE.equals(m.readOnly());
        if (m.target() == null || m.target().isEmpty()) {
            throw mountConfig(type, "field Target must not be empty");
        }
        switch (type) {
            case BIND -> {
                if (m.volumeOptions() != null) {
                    throw mountConfig(type, "field VolumeOptions must not be specified");
                }
                if (m.tmpfsOptions() != null) {
                    throw mountConfig(type, "field TmpfsOptions must not be specified");
                }
                if (source.isEmpty()) {
                    throw mountConfig(type, "field Source must not be empty");
                }
                if (!source.startsWith("/")) {
                    throw mountConfig(type, "invalid mount path: '" + source + "' mount path must be absolute");
                }
                String propagation = DEFAULT_PROPAGATION;
                boolean nonRecursive = false;
                boolean createSource = false;
                if (m.bindOptions() != null) {
                    if (m.bindOptions().propagation() != null && !m.bindOptions().propagation().isEmpty()) {
                        propagation = m.bindOptions().propagation();
                        if (!PROPAGATIONS.contains(propagation)) {
                            throw mountConfig(type, "invalid propagation mode: " + propagation);
                        }
                    }
                    nonRecursive = Boolean.TRUE.equals(m.bindOptions().nonRecursive());
                    createSource = Boolean.TRUE.equals(m.bindOptions().createMountpoint());
                }
                return new MountRequest(BIND, clean(source), containerPath(type, m.target()), readOnly, "",
                        propagation, false, nonRecursive, Map.of(), "", createSource ? Origin.BINDS : Origin.MOUNTS);
            }
            case VOLUME -> {
                if (m.bindOptions() != null) {
                    throw mountConfig(type, "field BindOptions must not be specified");
                }
                if (m.tmpfsOptions() != null) {
                    throw mountConfig(type, "field TmpfsOptions must not be specified");
                }
                if (!source.isEmpty()) {
                    VolumeName.validate("create", source);
                }
                Mount.VolumeOptions vo = m.volumeOptions();
                if (vo != null && vo.driverConfig() != null && vo.driverConfig().name() != null
                        && !vo.driverConfig().name().isEmpty() && !vo.driverConfig().name().equals("local")) {
                    throw BerthException.notFound("error looking up volume plugin " + vo.driverConfig().name()
                            + ": plugin \"" + vo.driverConfig().name() + "\" not found");
                }
                boolean noCopy = vo != null && Boolean.TRUE.equals(vo.noCopy());
                return new MountRequest(VOLUME, source, containerPath(type, m.target()), readOnly, "z", "",
                        noCopy, false, vo == null ? Map.of() : vo.labels(), "", Origin.MOUNTS);
            }
            case TMPFS -> {
                if (!source.isEmpty()) {
                    throw mountConfig(type, "field Source must not be specified");
                }
                if (m.bindOptions() != null) {
                    throw mountConfig(type, "field BindOptions must not be specified");
                }
                if (m.volumeOptions() != null) {
                    throw mountConfig(type, "field VolumeOptions must not be specified");
                }
                return new MountRequest(TMPFS, "", containerPath(type, m.target()), readOnly, "", "", false, false,
                        Map.of(), tmpfsData(m.tmpfsOptions(), readOnly), Origin.MOUNTS);
            }
            default -> throw mountConfig(type, "mount type unknown");
        }
    }

    /** An entry of {@code HostConfig.Tmpfs}: {@code /run: "size=64m,mode=1777"}. */
    static MountRequest ofTmpfs(String destination, String data) {
        String options = data == null ? "" : data;
        TmpfsOptions.validate(destination, options);
        boolean readOnly = List.of(options.split(",")).contains("ro");
        return new MountRequest(TMPFS, "", containerPath(TMPFS, destination), readOnly, "", "", false, false,
                Map.of(), options, Origin.TMPFS);
    }

    /** An image's {@code VOLUME}: an anonymous volume, copied up from the image. */
    static MountRequest ofImageVolume(String destination) {
        return new MountRequest(VOLUME, "", containerPath(VOLUME, destination), false, "", "", false, false,
                Map.of(), "", Origin.BINDS);
    }

    /** moby's {@code ConvertTmpfsOptions}: ro, {@code mode=} in octal, {@code size=} with the largest unit. */
    private static String tmpfsData(Mount.TmpfsOptions t, boolean readOnly) {
        List<String> raw = new ArrayList<>();
        if (readOnly) {
            raw.add("ro");
        }
        if (t != null && t.mode() != null && t.mode() != 0) {
            raw.add("mode=" + Integer.toOctalString(t.mode()));
        }
        if (t != null && t.sizeBytes() != null && t.sizeBytes() != 0) {
            if (t.sizeBytes() < 0) {
                throw mountConfig(TMPFS, "invalid tmpfs size " + t.sizeBytes());
            }
            long size = t.sizeBytes();
            String suffix = "";
            for (String unit : new String[] {"k", "m", "g"}) {
                if (size % 1024 != 0) {
                    break;
                }
                size /= 1024;
                suffix = unit;
            }
            raw.add("size=" + size + suffix);
        }
        return String.join(",", raw);
    }

    /** docker's check of the third part of {@code -v}: each kind of option at most once. */
    private static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return false;
        }
        int rw = 0;
        int label = 0;
        int propagation = 0;
        int copy = 0;
        int consistency = 0;
        for (String o : mode.split(",", -1)) {
            if (o.equals("rw") || o.equals("ro")) {
                rw++;
            } else if (o.equals("z") || o.equals("Z")) {
                label++;
            } else if (PROPAGATIONS.contains(o)) {
                propagation++;
            } else if (o.equals("nocopy")) {
                copy++;
            } else if (CONSISTENCIES.contains(o)) {
                consistency++;
            } else {
                return false;
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    /** A destination in the container: absolute, cleaned, never {@code /}. */
    static String containerPath(String type, String path) {
        if (!path.startsWith("/")) {
            throw mountConfig(type, "invalid mount path: '" + path + "' mount path must be absolute");
        }
        String cleaned = clean(path);
        if (cleaned.equals("/")) {
            throw mountConfig(type, "invalid specification: destination can't be '/'");
        }
        return cleaned;
    }

    /** An absolute path without {@code .}, {@code ..}, empty components or a trailing slash (Go's Clean). */
    static String clean(String path) {
        return CleanPath.absolute(path);
    }

    static BerthException mountConfig(String type, String what) {
        return BerthException.invalidArgument("invalid mount config for type \"" + type + "\": " + what);
    }

    private static BerthException invalidSpec(String spec) {
        return BerthException.invalidArgument("invalid volume specification: '" + spec + "'");
    }
}
