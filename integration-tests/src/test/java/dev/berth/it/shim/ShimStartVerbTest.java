package dev.berth.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth-shim … start} when the serving shim cannot serve: start, which runs no JVM itself, prints the
 * serving shim's reason as its error (containerd shows start's output) and fails.
 */
class ShimStartVerbTest {
    private ShimFixture fixture;

    @BeforeEach
    void createFixture() throws IOException {
        fixture = ShimFixture.create("bss-");
    }

    @AfterEach
    void closeFixture() throws IOException {
        fixture.close();
    }

    @Test
    void start_specThatIsNotJson_failsWithTheReasonOfTheServingShim() throws Exception {
        Path bundle = Files.createDirectories(fixture.tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("config.json"), "{\"annotations\": ");
        ShimFixture.StartResult start = fixture.runStart(bundle, "bad");

        assertEquals(1, start.exitStatus(), start.output());
        assertTrue(start.output().startsWith("berth-shim start: start bad: read group of "
                + bundle.resolve("config.json")), start.output());
        assertFalse(Files.exists(bundle.resolve("address")), "no address for a shim that does not serve");
    }
}
