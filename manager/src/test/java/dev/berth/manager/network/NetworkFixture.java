package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.manager.content.LocalContentStore;
import dev.berth.manager.metadata.MetadataDb;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * berthd's networking over a temp root, run inside a {@link PrivateNetns}: masquerade and upstream DNS off, the
 * real CNI plugins of /usr/lib/cni. After each test: the namespace is deleted and no mount is left under the root.
 */
abstract class NetworkFixture {

    static final LinuxSyscalls SYS = LinuxSyscalls.loadBuilt();

    @TempDir
    Path dir;

    PrivateNetns netns;
    MetadataDb db;
    Networks networks;
    Sandboxes sandboxes;

    NetworkOptions options() {
        return NetworkOptions.defaults(dir.resolve("root"), dir.resolve("state")).contained();
    }

    @BeforeEach
    void start() throws Exception {
        netns = PrivateNetns.create(SYS);
        db = MetadataDb.open(dir.resolve("root/metadata.db"), LocalContentStore.open(dir.resolve("root/content")),
                Map.of());
        open();
    }

    /** A new berthd's networking over the same root and database (what a restart after a crash builds). */
    void open() throws Exception {
        NetworkOptions options = options();
        if (sandboxes != null) {
            sandboxes.close();
        }
        netns.call(() -> {
            networks = new Networks(db.networks(), options, Clock.systemUTC());
            networks.ensureBuiltins();
            sandboxes = new Sandboxes(networks, db.networks(), SYS, SYS);
            return null;
        });
    }

    @AfterEach
    void stop() throws Exception {
        try {
            // what a failed test left attached: released as a restarted berthd would, then the namespace goes
            netns.call(() -> new NetworkReconciler(networks, db.networks(), sandboxes).reconcile((ns, id) -> false));
            sandboxes.close();
        } finally {
            stopNetns();
        }
    }

    private void stopNetns() throws Exception {
        try {
            netns.close();
        } finally {
            try {
                db.close();
            } finally {
                List<String> left = mountsUnder(dir);
                for (String m : left) {
                    SYS.unmount(m, 2);
                }
                assertEquals(List.of(), left, "mounts left under the test root");
            }
        }
    }

    static List<String> mountsUnder(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        String prefix = dir.toRealPath().toString() + "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (target.startsWith(prefix)) {
                out.add(target);
            }
        }
        return out;
    }

    /** Runs a command in a container's network namespace (a plain netns: no container runtime here). */
    String inContainer(Path ns, String... argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + ns));
        cmd.addAll(List.of(argv));
        return PrivateNetns.run(cmd);
    }

    /** What is left in the test's namespace and root that a torn-down container could have leaked. */
    String leftovers() throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(netns.exec("ip", "-o", "link", "show", "type", "veth"));
        for (String line : netns.exec("iptables", "-w", "-t", "nat", "-S").lines().toList()) {
            if (line.contains("id: ") || line.startsWith("-N CNI-DN-") || line.contains("-j CNI-DN-")) {
                out.append(line).append('\n');
            }
        }
        for (String line : netns.exec("iptables", "-w", "-S").lines().toList()) {
            if (line.startsWith("-A CNI-FORWARD") && (line.contains(" -s ") || line.contains(" -d "))) {
                out.append(line).append('\n');
            }
        }
        Path results = options().cacheDir().resolve("results");
        if (Files.isDirectory(results)) {
            try (var files = Files.list(results)) {
                files.forEach(f -> out.append("cache ").append(f.getFileName()).append('\n'));
            }
        }
        Path ipam = options().ipamDir();
        if (Files.isDirectory(ipam)) {
            try (var nets = Files.walk(ipam)) {
                nets.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                        .filter(f -> !f.startsWith("last_reserved_ip") && !f.equals("lock"))
                        .forEach(f -> out.append("ipam ").append(f).append('\n'));
            }
        }
        Path ns = options().netnsDir();
        if (Files.isDirectory(ns)) {
            try (var files = Files.list(ns)) {
                files.forEach(f -> out.append("netns ").append(f.getFileName()).append('\n'));
            }
        }
        out.append(String.join("\n", mountsUnder(dir)));
        return out.toString().strip();
    }
}
