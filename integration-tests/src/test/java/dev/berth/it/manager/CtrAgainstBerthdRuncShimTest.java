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
 * The ctr acceptance suite against berthd driving containerd's own shim ({@code containerd-shim-runc-v2}) and
 * Debian's runc: berthd alone, with containerd's lower half. berthd runs with a private /run, since that shim
 * keeps its sockets under /run/containerd.
 */
class CtrAgainstBerthdRuncShimTest extends CtrAcceptanceContract {
    private Path dir;
    private BerthdProcess berthd;

    @BeforeAll
    void startBerthd() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bbr-");
        berthd = BerthdProcess.start(Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize(),
                dir, new CommandLine(Files.createDirectories(dir.resolve("daemon"))),
                new BerthdProcess.Options(null, true));
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
        return Optional.of("/usr/bin/containerd-shim-runc-v2");
    }
}
