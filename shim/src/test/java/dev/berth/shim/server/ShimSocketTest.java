package dev.berth.shim.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShimSocketTest {
    @TempDir
    Path dir;

    @Test
    void claim_manySockets_leavesOneLockFileNotOnePerContainer() throws IOException {
        for (String name : List.of("aaaa", "bbbb", "cccc")) {
            ShimSocket.Listening l = assertInstanceOf(ShimSocket.Listening.class,
                    ShimSocket.claim(dir.resolve(name)));
            l.channel().close();
            Files.delete(l.path()); // as the serving shim does when it exits
        }
        assertEquals(List.of(ShimSocket.LOCK), names());
    }

    @Test
    void claim_socketOfAServingShim_joinsIt() throws IOException {
        ShimSocket.Listening first = assertInstanceOf(ShimSocket.Listening.class,
                ShimSocket.claim(dir.resolve("group")));
        try {
            assertInstanceOf(ShimSocket.Joined.class, ShimSocket.claim(dir.resolve("group")));
        } finally {
            first.channel().close();
        }
        // a socket file left by a shim that died is taken over
        assertInstanceOf(ShimSocket.Listening.class, ShimSocket.claim(dir.resolve("group"))).channel().close();
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
