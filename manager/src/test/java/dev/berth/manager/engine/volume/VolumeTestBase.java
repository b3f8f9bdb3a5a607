package dev.berth.manager.engine.volume;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link VolumeFixture} in a temp dir for each test, closed after it. */
abstract class VolumeTestBase {
    @TempDir
    Path tmp;
    VolumeFixture f;
    Volumes volumes;

    @BeforeEach
    void openFixture() throws IOException {
        f = new VolumeFixture(tmp);
        volumes = f.volumes;
    }

    @AfterEach
    void closeFixture() throws IOException {
        f.close();
    }
}
