package dev.berth.shim.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;

/** The contract over Berth's runtime binary, {@code bin/berth-runtime} (built by the lowlevel-runtime module). */
class CliEngineBerthTest extends RuntimeEngineContract {
    @Override
    protected RuntimeEngine engine(Syscalls sys, Path root, Path log) {
        Path jar = repo().resolve("lowlevel-runtime/target/berth-runtime.jar");
        assertTrue(Files.exists(jar), jar + " is missing: build it with mvn -pl lowlevel-runtime package");
        return new CliEngine(sys, repo().resolve("bin/berth-runtime"), root, log, System.getenv());
    }
}
