package dev.berth.it.manager;

import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.support.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ctr acceptance suite against berthd with its defaults: berth-shim driving berth-runtime in-process, the
 * overlayfs snapshotter. The same tests run green against containerd first ({@link CtrAgainstContainerdTest}).
 */
class CtrAgainstBerthdTest extends CtrAcceptanceContract {
    private Path dir;
    private BerthdProcess berthd;

    @BeforeAll
    void startBerthd() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bbd-");
        berthd = BerthdProcess.start(Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize(),
                dir, new CommandLine(Files.createDirectories(dir.resolve("daemon"))), BerthdProcess.Options.defaults());
    }

    @AfterAll
    void stopBerthd() throws IOException {
        if (berthd != null) {
            berthd.close();
        }
        if (dir != null) {
            BerthdProcess.reapLeftovers(dir);
            deleteTree(dir);
        }
    }

    @Override
    protected String address() {
        return berthd.socket().toString();
    }

    @Override
    protected Path workDir() {
        return dir.resolve("work");
    }

    @Override
    protected Optional<String> runtime() {
        return Optional.empty();
    }
}
