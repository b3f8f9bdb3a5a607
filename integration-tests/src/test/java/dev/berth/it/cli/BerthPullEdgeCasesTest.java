package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.manager.support.EdgeImages;
import dev.berth.it.manager.support.TestImage;
import dev.berth.it.manager.support.TestImages;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.testsupport.RegistryFront;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code berth pull} through berthd's transfer service against a real docker-registry, in the cases a plain pull
 * does not reach: an OCI index with two platforms, a {@code tar+zstd} layer, a blob download cut off halfway (which
 * must resume with a Range request), and a blob whose bytes do not match its digest (which must leave nothing
 * behind). The last two go through a {@link RegistryFront} in front of the registry.
 */
class BerthPullEdgeCasesTest extends BerthCliFixture {
    /** How much of the 50 MB layer the proxy sends before it closes the connection. */
    private static final long CUT_AFTER = 10L * 1024 * 1024;

    private EdgeImages edges;
    private RegistryFront proxy;

    @BeforeAll
    void pushEdgeImagesAndStartProxy() throws IOException {
        edges = EdgeImages.build(imagesDir.resolve("edges"));
        edges.pushTo(registry);
        proxy = RegistryFront.proxy(registry.backendHost());
    }

    @AfterAll
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void indexWithTwoPlatforms_defaultPicksAmd64_platformFlagPicksArm64() {
        String ref = registry.host() + "/multiarch:latest";
        berth("pull", ref).assertSuccess();
        assertEquals("amd64\n", berth("run", "--rm", ref, "cat", "/platform").assertSuccess().stdout());
        String inspect = berth("inspect", ref).assertSuccess().stdout();
        assertTrue(Pattern.compile("\"Architecture\"\\s*:\\s*\"amd64\"").matcher(inspect).find(), inspect);
        List<String> content = lines(ctr.run("content", "ls", "-q").assertSuccess().stdout());
        assertTrue(content.contains(edges.index().digest()), content.toString());
        assertTrue(content.contains(edges.amd64().manifest().digest()), content.toString());
        assertFalse(content.contains(edges.arm64().manifest().digest()), content.toString());

        String arm = namespace + "-arm";
        try {
            var armCtr = ctr.in(arm);
            CliResult pull = commandLine.run(CALL, argvIn(arm, "pull", "--platform", "linux/arm64", ref));
            assertEquals(0, pull.exitCode(), pull.toString());
            String images = armCtr.run("images", "ls").assertSuccess().stdout();
            assertTrue(images.contains(ref) && images.contains(edges.index().digest()), images);
            List<String> armContent = lines(armCtr.run("content", "ls", "-q").assertSuccess().stdout());
            assertTrue(armContent.containsAll(edges.arm64().blobDigests()), armContent.toString());
            assertFalse(armContent.contains(edges.amd64().manifest().digest()), armContent.toString());
            assertFalse(armContent.contains(edges.amd64().config().digest()), armContent.toString());
            String config = armCtr.run("content", "get", edges.arm64().config().digest()).assertSuccess().stdout();
            assertTrue(Pattern.compile("\"architecture\"\\s*:\\s*\"arm64\"").matcher(config).find(), config);
        } finally {
            removeOtherNamespace(arm);
        }
    }

    @Test
    void zstdLayer_pullsAndRuns() {
        String ref = edges.zstd().reference(registry);
        berth("pull", ref).assertSuccess();
        assertEquals(EdgeImages.ZSTD_CONTENT,
                berth("run", "--rm", ref, "cat", EdgeImages.ZSTD_FILE).assertSuccess().stdout());
    }

    /**
     * berthd does not retry a cut-off download within the pull (neither does containerd's pull): the pull fails
     * with 125 and leaves the partial ingest, and the next pull resumes it with {@code Range: bytes=<offset>-}.
     */
    @Test
    void interruptedBlobDownload_resumesWithARangeWithinThePull() {
        TestImage layers5 = images.layers5();
        String big = layers5.layers().get(3).blob().digest();
        long size = layers5.layers().get(3).blob().size();
        proxy.cutFirstGetOf(big, CUT_AFTER);
        String ref = proxy.host() + "/layers5:latest";

        CliResult pull = berth("pull", ref);
        List<RegistryFront.BlobGet> gets = proxy.getsOf(big);
        assertEquals(0, pull.exitCode(), pull + "\nblob GETs of " + big + ": " + gets);
        assertEquals(2, gets.size(), gets.toString());
        assertEquals(Optional.empty(), gets.get(0).range(), "the first GET asks for the whole blob: " + gets);
        long start = gets.get(1).rangeStart().orElseThrow(() -> new AssertionError("no Range on the retry: " + gets));
        assertTrue(start > 0 && start <= CUT_AFTER, "resumes within the bytes sent (1.." + CUT_AFTER + "): " + gets);
        assertEquals(Optional.of("bytes=" + start + "-"), gets.get(1).range(), "open-ended range of " + size);
        assertFalse(ctr.run("content", "active").assertSuccess().stdout().contains(big.substring(7)));
        assertEquals(String.valueOf(TestImages.BIG_FILE_SIZE), berth("run", "--rm", ref, "stat", "-c", "%s",
                TestImages.BIG_FILE).assertSuccess().stdout().strip());
    }

    @Test
    void blobNotMatchingItsDigest_failsAndLeavesNothing() {
        String bad = edges.corruptLayer().digest();
        proxy.corrupt(bad);
        String ref = proxy.host() + "/corrupt:latest";
        CliResult pull = berth("pull", ref);
        assertEquals(125, pull.exitCode(), pull.toString());
        assertTrue(pull.stderr().contains(bad), pull.toString());
        assertFalse(proxy.getsOf(bad).isEmpty(), "the blob was fetched through the proxy");

        List<String> content = lines(ctr.run("content", "ls", "-q").assertSuccess().stdout());
        assertFalse(content.contains(bad), content.toString());
        String active = ctr.run("content", "active").assertSuccess().stdout();
        assertFalse(active.contains(bad.substring("sha256:".length())), active);
        List<String> imagesLs = lines(ctr.run("images", "ls", "-q").assertSuccess().stdout());
        assertFalse(imagesLs.contains(ref), imagesLs.toString());
        CliResult inspect = berth("inspect", ref);
        assertTrue(inspect.exitCode() != 0, inspect.toString());
    }

    private List<String> argvIn(String ns, String... args) {
        List<String> argv = argv(args);
        argv.set(argv.indexOf(namespace), ns);
        return argv;
    }

    /** Removes images, content-visible state and the namespace {@code ns} a test made besides its own. */
    private void removeOtherNamespace(String ns) {
        var other = ctr.in(ns);
        CliResult ls = other.run("images", "ls", "-q");
        if (ls.exitCode() == 0) {
            for (String image : lines(ls.stdout())) {
                other.run("images", "rm", "--sync", image);
            }
        }
        CliResult snaps = other.run("snapshots", "ls");
        if (snaps.exitCode() == 0) {
            // committed snapshots go with the images' GC; anything left is removed child first
            List<String> keys = new ArrayList<>(snaps.stdout().lines().skip(1)
                    .map(l -> l.split("\\s+")[0]).filter(k -> !k.isEmpty()).toList());
            for (String key : keys.reversed()) {
                other.run("snapshots", "rm", key);
            }
        }
        other.run("namespaces", "rm", ns);
        CgroupFs.removeLeftovers("/" + ns);
    }
}
