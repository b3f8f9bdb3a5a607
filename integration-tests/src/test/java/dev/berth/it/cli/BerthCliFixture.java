package dev.berth.it.cli;

import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.manager.support.Ctr;
import dev.berth.it.manager.support.TestImages;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One private berthd and one local registry with the suite's images per class; per test a namespace of its own
 * with busybox pulled into it by Debian's {@code ctr} (berthd's own pull arrives with the transfer service), a log
 * dir under the test's temp dir, and {@link #berth} to run {@code bin/berth} against them. After each test every
 * task, container, snapshot, image, the namespace and its cgroups are removed through ctr, also after a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BerthCliFixture {
    static final Duration CALL = Duration.ofSeconds(60);
    static final Path REPO = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();

    Path dir;
    Path imagesDir;
    LocalRegistry registry;
    TestImages images;
    BerthdProcess berthd;

    String namespace;
    Path testDir;
    Path logDir;
    Ctr ctr;
    CommandLine commandLine;
    /** busybox as pulled into the test's namespace: {@code 127.0.0.1:PORT/busybox:latest}. */
    String busybox;

    @BeforeAll
    void startDaemonAndRegistry() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bcli-");
        imagesDir = Files.createDirectories(dir.resolve("images"));
        images = TestImages.build(imagesDir.resolve("layout"));
        registry = LocalRegistry.anonymous();
        images.pushTo(registry);
        berthd = BerthdProcess.start(REPO, dir.resolve("d"),
                new CommandLine(Files.createDirectories(dir.resolve("d").resolve("daemon"))),
                daemonOptions());
    }

    /** How the class's berthd runs; a suite that needs its default bridge runs it in a private netns. */
    BerthdProcess.Options daemonOptions() throws IOException {
        return BerthdProcess.Options.defaults();
    }

    @AfterAll
    void stopDaemonAndRegistry() throws IOException {
        try {
            if (berthd != null) {
                berthd.close();
            }
            if (registry != null) {
                registry.close();
            }
        } finally {
            if (dir != null) {
                BerthdProcess.reapLeftovers(dir);
                deleteTree(dir);
            }
        }
    }

    @BeforeEach
    void newNamespace() throws IOException {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        namespace = "cli-it-" + HexFormat.of().formatHex(r);
        testDir = Files.createDirectories(dir.resolve("t").resolve(namespace));
        logDir = testDir.resolve("logs");
        commandLine = new CommandLine(Files.createDirectories(testDir.resolve("calls")));
        ctr = new Ctr(berthd.socket().toString(), namespace, commandLine);
        busybox = images.busybox().reference(registry);
        ctr.run("images", "pull", "--plain-http", busybox).assertSuccess();
    }

    /** Empties and removes the test's namespace through ctr (independent of the CLI under test). */
    @AfterEach
    void removeNamespace() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String id : quiet("tasks", "ls")) {
            CliResult rm = ctr.run("tasks", "rm", "--force", id);
            if (rm.exitCode() != 0 && quiet("tasks", "ls").contains(id)) {
                problems.add(rm.toString());
            }
        }
        for (String id : quiet("containers", "ls")) {
            keep(problems, ctr.run("containers", "rm", id));
        }
        for (String key : quiet("snapshots", "ls").stream().filter(k -> !k.startsWith("sha256:")).toList()) {
            keep(problems, ctr.run("snapshots", "rm", key));
        }
        for (String ref : quiet("images", "ls")) {
            keep(problems, ctr.run("images", "rm", "--sync", ref));
        }
        CliResult rm = ctr.run("namespaces", "rm", namespace);
        if (rm.exitCode() != 0 && quiet("namespaces", "ls").contains(namespace)) {
            problems.add(rm.toString());
        }
        CgroupFs.removeLeftovers("/" + namespace);
        deleteTree(testDir);
        if (!problems.isEmpty()) {
            throw new AssertionError("clean-up of namespace " + namespace + ":\n" + String.join("\n", problems));
        }
    }

    /** {@code bin/berth --address <berthd> -n <namespace> --log-dir <test dir>/logs <args>}. */
    CliResult berth(String... args) {
        return commandLine.run(CALL, argv(args));
    }

    CliResult berthWithStdin(String stdin, String... args) {
        return commandLine.run(CALL, argv(args), Map.of(), stdin);
    }

    List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of(REPO.resolve("bin/berth").toString(),
                "--address", berthd.socket().toString(), "-n", namespace, "--log-dir", logDir.toString()));
        argv.addAll(Arrays.asList(args));
        return argv;
    }

    /** The ids {@code berth ps -a -q} lists. */
    List<String> containerIds() {
        return lines(berth("ps", "-a", "-q").assertSuccess().stdout());
    }

    private List<String> quiet(String... what) {
        List<String> args = new ArrayList<>(Arrays.asList(what));
        args.add("-q");
        CliResult r = ctr.run(args.toArray(String[]::new));
        return r.exitCode() == 0 ? lines(r.stdout()) : List.of();
    }

    static List<String> lines(String out) {
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static void keep(List<String> problems, CliResult r) {
        if (r.exitCode() != 0) {
            problems.add(r.toString());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
