package dev.berth.shim.server;

import dev.berth.log.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MainTest {

    @Test
    void level_containerdsDebugFlag_isDebugElseInfo() {
        String[] common = {"-namespace", "default", "-address", "/run/c/containerd.sock", "-id", "web"};

        assertEquals(Level.DEBUG, Main.level(ShimFlags.parse(join(common, "-debug", "serve"))));
        assertEquals(Level.INFO, Main.level(ShimFlags.parse(join(common, "serve"))));
    }

    private static String[] join(String[] common, String... rest) {
        String[] all = java.util.Arrays.copyOf(common, common.length + rest.length);
        System.arraycopy(rest, 0, all, common.length, rest.length);
        return all;
    }
}
