package dev.berth.manager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    private static final BerthdConfig DEFAULTS = BerthdConfig.defaults(Path.of("/opt/berth/bin/berth-shim"));

    @TempDir
    Path dir;

    @Test
    void parse_noFlags_givesDesignDefaults() throws Exception {
        BerthdConfig c = CommandLine.parse(List.of(), DEFAULTS).config();
        assertEquals(Path.of("/var/lib/berth"), c.root());
        assertEquals(Path.of("/run/berth"), c.state());
        assertEquals(Path.of("/run/berth/berthd.sock"), c.address());
        assertEquals(Path.of("/run/berth/berthd.sock.ttrpc"), c.ttrpcAddress());
        assertEquals("overlayfs", c.snapshotter());
        assertEquals(Path.of("/opt/berth/bin/berth-shim"), c.runtimes().get("io.containerd.runc.v2"));
        assertEquals(0, c.maxUnpackedBytes(), "no bound on unpacked bytes, as containerd");
        assertEquals(new BerthdConfig.NetworkSwitches("berth0", true, true), c.network(),
                "docker's networking defaults: the default bridge, masquerade and upstream DNS on");
    }

    @Test
    void parse_networkSection_setsTheSwitches() throws Exception {
        Path file = dir.resolve("network.toml");
        Files.writeString(file, """
                [berth.network]
                  masquerade = false
                  upstream_dns = false
                """);
        BerthdConfig c = CommandLine.parse(List.of("--config", file.toString()), DEFAULTS).config();
        assertEquals(new BerthdConfig.NetworkSwitches("berth0", false, false), c.network());
        Files.writeString(file, "[berth.network]\nbridge = \"none\"\n");
        BerthdConfig none = CommandLine.parse(List.of("--config", file.toString()), DEFAULTS).config();
        assertEquals(false, none.network().defaultBridge());
        assertEquals(true, none.network().masquerade());
        assertEquals(List.of(Path.of("/usr/lib/cni")), none.network().pluginDirs());
        Files.writeString(file, "[berth.network]\nplugin_dirs = [\"/tmp/slow-cni\", \"/usr/lib/cni\"]\n");
        assertEquals(List.of(Path.of("/tmp/slow-cni"), Path.of("/usr/lib/cni")), CommandLine.parse(List.of(
                "--config", file.toString()), DEFAULTS).config().network().pluginDirs());
        Files.writeString(file, "[berth.network]\nbridge = \"not a device\"\n");
        BerthException bad = assertThrows(BerthException.class,
                () -> CommandLine.parse(List.of("--config", file.toString()), DEFAULTS));
        assertTrue(bad.getMessage().contains("berth.network.bridge not a device"), bad.getMessage());
    }

    @Test
    void parse_fileThenFlags_flagsWin() throws Exception {
        Path file = dir.resolve("berthd.toml");
        Files.writeString(file, """
                root = "/srv/berth"
                state = "/srv/berth-state"
                [grpc]
                  address = "/srv/b.sock"
                [debug]
                  level = "debug"
                [berth]
                  snapshotter = "native"
                  max_unpacked_bytes = 1073741824
                  [berth.runtimes."io.containerd.runc.v2"]
                    shim = "/usr/bin/containerd-shim-runc-v2"
                """);
        BerthdConfig c = CommandLine.parse(List.of("--config", file.toString(), "--root=/x", "-l", "warn"),
                DEFAULTS).config();
        assertEquals(Path.of("/x"), c.root());
        assertEquals(Path.of("/srv/berth-state"), c.state());
        assertEquals(Path.of("/srv/b.sock"), c.address());
        assertEquals(Path.of("/srv/b.sock.ttrpc"), c.ttrpcAddress());
        assertEquals("warn", c.logLevel());
        assertEquals("native", c.snapshotter());
        assertEquals(1L << 30, c.maxUnpackedBytes());
        assertEquals(Path.of("/usr/bin/containerd-shim-runc-v2"), c.runtimes().get("io.containerd.runc.v2"));
    }

    @Test
    void parse_addressFlag_movesTheTtrpcSocketAlong() throws Exception {
        BerthdConfig c = CommandLine.parse(List.of("-a", "/tmp/t/b.sock"), DEFAULTS).config();
        assertEquals(Path.of("/tmp/t/b.sock.ttrpc"), c.ttrpcAddress());
    }

    @Test
    void parse_dockerSocket_isBesideTheGrpcSocketUnlessMovedOrTurnedOff() throws Exception {
        assertEquals(java.util.Optional.of(Path.of("/run/berth/docker.sock")),
                CommandLine.parse(List.of(), DEFAULTS).config().dockerAddress());
        assertEquals(java.util.Optional.of(Path.of("/tmp/t/docker.sock")),
                CommandLine.parse(List.of("-a", "/tmp/t/b.sock"), DEFAULTS).config().dockerAddress());
        assertEquals(java.util.Optional.of(Path.of("/tmp/d.sock")), CommandLine.parse(
                List.of("-a", "/tmp/t/b.sock", "--docker-address", "/tmp/d.sock"), DEFAULTS).config().dockerAddress());
        assertEquals(java.util.Optional.empty(),
                CommandLine.parse(List.of("--docker-address="), DEFAULTS).config().dockerAddress());
        Path file = dir.resolve("docker.toml");
        Files.writeString(file, "[grpc]\naddress = \"/srv/b.sock\"\n");
        assertEquals(java.util.Optional.of(Path.of("/srv/docker.sock")),
                CommandLine.parse(List.of("-c", file.toString()), DEFAULTS).config().dockerAddress());
        Files.writeString(file, "[docker]\naddress = \"\"\n");
        assertEquals(java.util.Optional.empty(),
                CommandLine.parse(List.of("-c", file.toString()), DEFAULTS).config().dockerAddress());
    }

    @Test
    void parse_badInput_namesTheProblem() throws Exception {
        BerthException unknown = assertThrows(BerthException.class,
                () -> CommandLine.parse(List.of("--nope"), DEFAULTS));
        assertEquals(ErrorKind.INVALID_ARGUMENT, unknown.kind());
        assertTrue(unknown.getMessage().contains("--nope"));
        assertThrows(BerthException.class, () -> CommandLine.parse(List.of("--root"), DEFAULTS));
        assertThrows(BerthException.class, () -> CommandLine.parse(List.of("--snapshotter", "zfs"), DEFAULTS));
        Path bad = dir.resolve("bad.toml");
        Files.writeString(bad, "root = \n");
        BerthException toml = assertThrows(BerthException.class,
                () -> CommandLine.parse(List.of("-c", bad.toString()), DEFAULTS));
        assertTrue(toml.getMessage().startsWith("load config " + bad), toml.getMessage());
    }

    @Test
    void parse_unknownLogLevel_isInvalidArgumentFromFlagAndFile() throws Exception {
        BerthException flag = assertThrows(BerthException.class,
                () -> CommandLine.parse(List.of("--log-level", "loud"), DEFAULTS));
        assertEquals(ErrorKind.INVALID_ARGUMENT, flag.kind());
        assertEquals("config: parse log level \"loud\": want debug, info, warn or error", flag.getMessage());
        Path file = dir.resolve("level.toml");
        Files.writeString(file, "[debug]\n  level = \"trace\"\n");
        assertThrows(BerthException.class, () -> CommandLine.parse(List.of("-c", file.toString()), DEFAULTS));
    }
}
