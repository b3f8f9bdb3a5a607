package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of every test that drives the runtime under test: a private temp root per test, a runtime client with its
 * own {@code --root}, bundle and id factories, and clean-up that runs after failures too.
 *
 * <p>The runtime binary comes from the system property {@code berth.it.runtime} (set by surefire, one execution per
 * runtime), so the same classes prove berth-runtime and, as a check of the suite itself, Debian's runc.
 */
public abstract class ContainerTest {
    /** The runtime under test. */
    public static final Path RUNTIME_BINARY =
            Path.of(System.getProperty("berth.it.runtime", RuncDeviation.RUNC.toString())).toAbsolutePath().normalize();

    protected Path tmp;
    protected OciRuntime runtime;
    protected CommandLine commandLine;
    private final List<Bundle> bundles = new ArrayList<>();

    @BeforeEach
    final void createSandbox(TestInfo info) throws IOException {
        // Only the class name: unix socket paths under the temp root must stay below 108 bytes.
        String name = info.getTestClass().map(Class::getSimpleName).orElse("test");
        tmp = Files.createTempDirectory("berth-it-" + name + "-");
        // createTempDirectory makes it 0700; a container whose root is a mapped uid (user namespace) must still
        // be able to reach its rootfs through it.
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Path scratch = Files.createDirectories(tmp.resolve("calls"));
        commandLine = new CommandLine(scratch);
        runtime = new OciRuntime(RUNTIME_BINARY, Files.createDirectories(tmp.resolve("state")),
                tmp.resolve("runtime.log"), commandLine);
    }

    /**
     * Force-deletes every container the test created, then checks nothing is left (mounts under the temp root,
     * cgroups) and removes the temp root. A leak fails the test: nothing left behind is part of every contract.
     */
    @AfterEach
    final void destroySandbox() throws IOException {
        List<String> problems = new ArrayList<>(runtime.deleteAllForced());
        for (Bundle b : bundles) {
            List<Path> left = List.of();
            // The kernel removes a cgroup only after its last task is reaped; give it a moment.
            for (int i = 0; i < 40 && !(left = CgroupFs.existingDirs(b.cgroupsPath())).isEmpty(); i++) {
                Wait.sleep(java.time.Duration.ofMillis(50));
            }
            if (!left.isEmpty()) {
                problems.add("cgroup left behind after delete --force: " + left);
                CgroupFs.removeLeftovers(b.cgroupsPath());
            }
        }
        List<String> mounts = HostMounts.under(tmp);
        if (!mounts.isEmpty()) {
            // Never delete recursively across a mount: it could reach into a bind-mounted host directory.
            throw new AssertionError("mounts left under " + tmp + " (temp root kept): " + mounts);
        }
        deleteTree(tmp);
        if (!problems.isEmpty()) {
            throw new AssertionError("clean-up found problems:\n" + String.join("\n", problems));
        }
    }

    /** A new bundle (busybox rootfs, runc's default spec, unique cgroupsPath) under this test's temp root. */
    protected Bundle newBundle() {
        String suffix = randomSuffix();
        Bundle b = Bundle.create(tmp.resolve("bundle-" + suffix), "/berth-it-" + suffix);
        bundles.add(b);
        return b;
    }

    /**
     * Runs {@code script} with busybox sh as the container's process in the foreground and returns its stdout;
     * the probe must exit 0.
     */
    protected String probe(Bundle bundle, String script) {
        return runtime.run(newId(), bundle.sh(script)).assertSuccess().stdout();
    }

    /** Like {@link #probe} but returns the whole result, for probes expected to fail. */
    protected CliResult probeResult(Bundle bundle, String script) {
        return runtime.run(newId(), bundle.sh(script));
    }

    /** The value of a {@code Name:\tvalue} line of {@code /proc/<pid>/status} text. */
    protected static String statusField(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in:\n" + status));
    }

    /** The visible mount at {@code mountPoint} in mountinfo text (field 5; the last line wins). */
    protected static String mountLine(String mountinfo, String mountPoint) {
        return mountinfo.lines().filter(l -> l.split(" ")[4].equals(mountPoint)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no mount at " + mountPoint + " in:\n" + mountinfo));
    }

    /** A container id unique to this run. */
    protected static String newId() {
        return "it-" + randomSuffix();
    }

    protected static String randomSuffix() {
        byte[] b = new byte[5];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    protected static boolean runtimeIsRunc() {
        return RuncDeviation.isRunc(RUNTIME_BINARY);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("clean-up: delete " + p, e);
                }
            }
        }
    }
}
