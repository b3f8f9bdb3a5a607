package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.OciRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * The runtime's own files keep other local users out, as runc's: a state root it creates is 0700, a container's
 * directory 0711 (a mapped container root still reaches exec.fifo), and {@code state.json}, which holds the whole
 * config with its environment, 0600.
 */
class StateFilesTest extends ContainerTest {

    @Test
    void create_stateJsonAndContainerDir_areClosedToOthers() throws IOException {
        String id = newId();
        runtime.create(id, newBundle().args("true")).assertSuccess();
        assertEquals("rwx--x--x", mode(runtime.root().resolve(id)));
        assertEquals("rw-------", mode(runtime.root().resolve(id).resolve("state.json")));
    }

    @Test
    void create_aStateRootItMakes_isPrivate() throws IOException {
        OciRuntime fresh = new OciRuntime(RUNTIME_BINARY, tmp.resolve("fresh/root"), tmp.resolve("fresh.log"),
                commandLine);
        String id = newId();
        Bundle b = newBundle().args("true");
        try {
            fresh.create(id, b).assertSuccess();
            assertEquals("rwx------", mode(tmp.resolve("fresh/root")));
        } finally {
            fresh.call("delete", "--force", id);
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
