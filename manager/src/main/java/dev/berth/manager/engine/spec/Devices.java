package dev.berth.manager.engine.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.model.DeviceMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Host device nodes for a container: {@code --device PathOnHost[:PathInContainer[:perms]]} (a directory brings
 * every device under it) and, for {@code --privileged}, every device of the host's {@code /dev} (moby's
 * {@code devices.HostDevices}). Each becomes an OCI {@code linux.devices} entry and a cgroup allow rule.
 */
final class Devices {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    /** What moby's HostDevices skips: other mounts and pseudo-directories of /dev. */
    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts",
            ".udev");

    private Devices() {
    }

    /** One device node as the spec writes it. */
    record Node(String path, String type, long major, long minor, int fileMode, long uid, long gid,
                String access) {
    }

    static List<Node> mapped(List<DeviceMapping> mappings) {
        List<Node> out = new ArrayList<>();
        for (DeviceMapping m : mappings) {
            String onHost = m.pathOnHost() == null ? "" : m.pathOnHost();
            String inContainer = m.pathInContainer() == null || m.pathInContainer().isEmpty() ? onHost
                    : m.pathInContainer();
            String access = m.cgroupPermissions() == null || m.cgroupPermissions().isEmpty() ? "rwm"
                    : m.cgroupPermissions();
            if (!access.matches("[rwm]{1,3}")) {
                throw BerthException.invalidArgument("invalid --device " + onHost + ": invalid permissions "
                        + access + " (want r, w and m)");
            }
            if (!inContainer.startsWith("/")) {
                throw BerthException.invalidArgument("invalid --device " + onHost + ": " + inContainer
                        + " is not an absolute path");
            }
            Path host = Path.of(onHost);
            if (Files.isDirectory(host)) {
                for (Node n : walk(host)) {
                    String relative = host.relativize(Path.of(n.path())).toString();
                    out.add(new Node(Path.of(inContainer).resolve(relative).toString(), n.type(), n.major(),
                            n.minor(), n.fileMode(), n.uid(), n.gid(), access));
                }
                continue;
            }
            Node n = node(host).orElseThrow(() -> BerthException.invalidArgument(
                    "error gathering device information while adding custom device \"" + onHost
                            + "\": not a device node"));
            out.add(new Node(inContainer, n.type(), n.major(), n.minor(), n.fileMode(), n.uid(), n.gid(), access));
        }
        return out;
    }

    /** Every device node under {@code dev} (the host's /dev for a privileged container), links not followed. */
    static List<Node> walk(Path dev) {
        List<Node> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dev)) {
            for (Path p : entries.sorted().toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!SKIPPED_DIRS.contains(p.getFileName().toString())) {
                        out.addAll(walk(p));
                    }
                } else if (!p.toString().equals("/dev/console")) {
                    node(p).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("list devices in " + dev + ": " + e.getMessage());
        }
        return out;
    }

    private static Optional<Node> node(Path path) {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(path, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw BerthException.invalidArgument("error gathering device information while adding custom device \""
                    + path + "\": no such file or directory");
        } catch (IOException e) {
            throw BerthException.invalidArgument("error gathering device information while adding custom device \""
                    + path + "\": " + e.getMessage());
        }
        int mode = (Integer) attrs.get("mode");
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        long rdev = (Long) attrs.get("rdev");
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        return Optional.of(new Node(path.toString(), type, major, minor, mode & 07777,
                ((Integer) attrs.get("uid")).longValue(), ((Integer) attrs.get("gid")).longValue(), "rwm"));
    }

    /** The spec's {@code linux.devices} entries and the cgroup rules allowing them. */
    static void write(List<Node> nodes, ArrayNode specDevices, ArrayNode cgroupRules) {
        for (Node n : nodes) {
            specDevices.addObject().put("path", n.path()).put("type", n.type()).put("major", n.major())
                    .put("minor", n.minor()).put("fileMode", n.fileMode()).put("uid", n.uid()).put("gid", n.gid());
            cgroupRules.addObject().put("allow", true).put("type", n.type()).put("major", n.major())
                    .put("minor", n.minor()).put("access", n.access());
        }
    }
}
