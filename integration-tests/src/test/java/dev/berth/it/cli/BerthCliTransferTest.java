package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.testsupport.BusyboxImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The commands berthd's transfer service ({@code berth.services.transfer.v1}) serves: pull, push, save, load,
 * commit. They pass once that service is in berthd; until then each fails with UNIMPLEMENTED ("Method not
 * found"), which is why they live apart from {@link BerthCliTest}.
 */
class BerthCliTransferTest extends BerthCliFixture {

    @Test
    void pull_recordsTheImageAndRunsIt() {
        String ref = registry.host() + "/layers5:latest";
        CliResult pull = berth("pull", ref).assertSuccess();
        assertTrue(pull.stdout().contains(ref), pull.toString());
        assertEquals("5", berth("run", "--rm", ref, "cat", "/layers/top").assertSuccess().stdout().strip());
    }

    @Test
    void saveThenLoad_roundTripsAnImage() throws Exception {
        for (String format : List.of("oci", "docker")) {
            Path archive = testDir.resolve("busybox-" + format + ".tar");
            berth("save", "--format", format, "-o", archive.toString(), busybox).assertSuccess();
            assertTrue(Files.size(archive) > 0);
            berth("rmi", busybox).assertSuccess();
            CliResult load = berth("load", "-i", archive.toString()).assertSuccess();
            assertTrue(load.stdout().contains("Loaded image"), load.toString());
            assertEquals("ok\n", berth("run", "--rm", busybox, "echo", "ok").assertSuccess().stdout());
        }
    }

    @Test
    void saveThenLoad_ofAnImageLargerThanTheTransportsWindows() throws Exception {
        // 12 MiB of random octets in a layer: save streams it down (server streaming), load up (client streaming),
        // both many times the 1 MiB stream and connection windows of the CLI's own HTTP/2 transport
        berth("run", "--name", "big", busybox, "sh", "-c", "head -c 12582912 /dev/urandom > /blob && md5sum /blob")
                .assertSuccess();
        String ref = "big:1";
        berth("commit", "big", ref).assertSuccess();
        String sum = berth("run", "--rm", ref, "md5sum", "/blob").assertSuccess().stdout();
        Path archive = testDir.resolve("big.tar");
        berth("save", "-o", archive.toString(), ref).assertSuccess();
        assertTrue(Files.size(archive) > 12 << 20, "archive of " + Files.size(archive) + " octets");
        berth("rm", "big").assertSuccess();
        berth("rmi", ref).assertSuccess();

        CliResult load = berth("load", "-i", archive.toString()).assertSuccess();

        assertTrue(load.stdout().contains("Loaded image: ") && load.stdout().contains("big:1"), load.toString());
        assertEquals(sum, berth("run", "--rm", ref, "md5sum", "/blob").assertSuccess().stdout());
    }

    @Test
    void load_asTheFirstCallOfEachCliProcess_completes() throws Exception {
        // the main job's archive (1.1 MB, more than a stream's window); each berth process makes one connection
        // and its first stream is the upload: the stall the transport had depended on when berthd's SETTINGS
        // arrived, so several fresh processes load it
        Path archive = testDir.resolve("busybox.tar");
        BusyboxImage.writeArchive(BusyboxImage.DEFAULT_NAME, archive);
        assertTrue(Files.size(archive) > 1 << 20, "the archive is larger than a stream's window");
        for (int i = 0; i < 5; i++) {
            CliResult load = berth("load", "-i", archive.toString()).assertSuccess();
            assertTrue(load.stdout().contains("Loaded image: " + BusyboxImage.DEFAULT_NAME), i + ": " + load);
        }
        assertEquals("ok\n", berth("run", "--rm", BusyboxImage.DEFAULT_NAME, "echo", "ok").assertSuccess().stdout());
    }

    @Test
    void commitThenPushThenPull_carriesTheContainersChanges() {
        berth("run", "--name", "src", busybox, "sh", "-c", "echo committed > /marker").assertSuccess();
        String ref = registry.host() + "/committed:1";
        berth("commit", "-m", "a marker", "src", ref).assertSuccess();
        assertEquals("committed\n", berth("run", "--rm", ref, "cat", "/marker").assertSuccess().stdout());
        berth("push", ref).assertSuccess();
        berth("rm", "src").assertSuccess();
        berth("rmi", ref).assertSuccess();
        berth("pull", ref).assertSuccess();
        assertEquals("committed\n", berth("run", "--rm", ref, "cat", "/marker").assertSuccess().stdout());
    }

    @Test
    void runOfAMissingImage_pullsItFirst() {
        String ref = registry.host() + "/whiteout:latest";
        CliResult run = berth("run", "--rm", ref, "cat", "/keep").assertSuccess();
        assertTrue(run.stderr().contains("Unable to find image"), run.toString());
        assertEquals("keep\n", run.stdout());
    }
}
