package dev.berth.manager.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShimBinariesTest {
    private Path tmp;
    private Path berthShim;
    private Path fooShim;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("shim-binaries-");
        berthShim = executable(tmp.resolve("berth-shim"));
        fooShim = executable(Files.createDirectories(tmp.resolve("bin")).resolve("containerd-shim-foo-v1"));
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Path executable(Path p) throws IOException {
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void resolve_tableThenPathThenContainerdNaming() {
        ShimBinaries b = new ShimBinaries(Map.of(ShimBinaries.RUNC_V2, berthShim), "/nonexistent:" + tmp.resolve("bin"));
        assertEquals(berthShim, b.resolve("io.containerd.runc.v2"));
        assertEquals(fooShim, b.resolve("io.containerd.foo.v1"));
        assertEquals(fooShim, b.resolve(fooShim.toString()));
    }

    @Test
    void resolve_emptyName_isTheConfiguredDefault() {
        ShimBinaries b = new ShimBinaries(Map.of(ShimBinaries.RUNC_V2, berthShim), tmp.resolve("bin").toString(),
                "io.containerd.foo.v1");
        assertEquals(fooShim, b.resolve(""));
        assertEquals(berthShim, b.resolve("io.containerd.runc.v2"));
    }

    @Test
    void resolve_errors() {
        ShimBinaries b = new ShimBinaries(Map.of(), tmp.resolve("bin").toString());
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(BerthException.class, () -> b.resolve("io.containerd.bar.v2"))
                .kind());
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(BerthException.class,
                () -> b.resolve(tmp.resolve("missing").toString())).kind());
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(BerthException.class, () -> b.resolve(tmp.toString()))
                .kind());
        for (String bad : new String[] {"runc", "bin/shim", "io.containerd.runc", "io.containerd.a/b.v1"}) {
            assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(BerthException.class, () -> b.resolve(bad)).kind(),
                    bad);
        }
    }
}
