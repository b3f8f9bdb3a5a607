package dev.berth.manager.server;

import java.nio.file.Path;

/** The config of a berthd under a test's temp dir: no shim binary, no network set-up, its socket at b.sock. */
final class TestConfig {
    private TestConfig() {
    }

    /** Root {@code dir/root}, state {@code dir/state}, socket {@code dir/b.sock} (the Docker API's beside it). */
    static BerthdConfig in(Path dir) {
        return BerthdConfig.defaults(Path.of("/nonexistent/berth-shim"))
                .withNetwork(BerthdConfig.NetworkSwitches.CONTAINED).withRoot(dir.resolve("root"))
                .withState(dir.resolve("state")).withAddress(dir.resolve("b.sock"));
    }
}
