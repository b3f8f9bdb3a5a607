package dev.berth.it.manager;

import dev.berth.it.containerd.PrivateContainerd;
import dev.berth.it.support.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The ctr acceptance suite against the reference: Debian's containerd 1.6 with its default runtime
 * ({@code io.containerd.runc.v2} over Debian's runc), private root, state and {@code /run}. Green here proves the
 * suite; berthd then has to pass the same tests.
 */
class CtrAgainstContainerdTest extends CtrAcceptanceContract {
    private Path dir;
    private PrivateContainerd containerd;

    @BeforeAll
    void startContainerd() throws IOException {
        // short: containerd's and the shims' socket paths must fit in sockaddr_un
        dir = Files.createTempDirectory(Path.of("/tmp"), "bctr-");
        containerd = PrivateContainerd.start(dir, new CommandLine(Files.createDirectories(dir.resolve("daemon"))));
    }

    @AfterAll
    void stopContainerd() throws IOException {
        if (containerd != null) {
            containerd.close();
        }
        if (dir != null) {
            deleteTree(dir);
        }
    }

    @Override
    protected String address() {
        return containerd.socket().toString();
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
