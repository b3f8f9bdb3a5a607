package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/**
 * {@code create} of a config without {@code process}. The runtime spec makes process optional until {@code start};
 * berth-runtime deliberately fails create, as runc does: the whole process (user, capabilities, rlimits, cwd, the
 * executable's lookup) is set up during create, so that its errors surface there, where containerd's shim expects
 * them (docs/runtime-conformance.md). Same expectation against both runtimes; nothing is left behind.
 */
class CreateWithoutProcessTest extends ContainerTest {

    @Test
    void create_withoutProcess_failsNamingIt() {
        Bundle b = newBundle();
        b.spec().remove("process");
        String id = newId();
        CliResult r = runtime.create(id, b);
        assertTrue(!r.succeeded() && r.output().toLowerCase(java.util.Locale.ROOT).contains("process"), r.toString());
        CliResult state = runtime.call("state", id);
        assertTrue(!state.succeeded() && state.output().contains("does not exist"), state.toString());
    }
}
