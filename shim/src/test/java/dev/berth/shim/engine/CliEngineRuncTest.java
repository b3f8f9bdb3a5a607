package dev.berth.shim.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;

/** The contract over Debian's runc: proves the contract itself and the CLI engine against the reference. */
class CliEngineRuncTest extends RuntimeEngineContract {
    private static final Path RUNC = Path.of("/usr/sbin/runc");

    @Override
    protected RuntimeEngine engine(Syscalls sys, Path root, Path log) {
        assumeTrue(Files.isExecutable(RUNC), "runc is not installed");
        return new CliEngine(sys, RUNC, root, log, System.getenv());
    }
}
