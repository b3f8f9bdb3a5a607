package dev.berth.it.manager;

import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.support.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ctr acceptance suite against a private berthd started from {@code bin/berthd} under a temp dir; a subclass
 * says how berthd runs ({@link #options()}) and which runtime ctr asks for.
 */
abstract class CtrAgainstBerthd extends CtrAcceptanceContract {
    private Path dir;
    private BerthdProcess berthd;

    /** How berthd is started. */
    protected abstract BerthdProcess.Options options();

    @BeforeAll
    void startBerthd() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bbd-");
        berthd = BerthdProcess.start(Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize(),
                dir, new CommandLine(Files.createDirectories(dir.resolve("daemon"))), options());
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
}
