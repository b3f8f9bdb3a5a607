package dev.berth.cli.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.client.CliException;
import dev.berth.model.DeviceMapping;
import dev.berth.model.DockerJson;
import dev.berth.model.HealthConfig;
import dev.berth.model.Mount;
import dev.berth.model.PortBinding;
import dev.berth.model.RestartPolicy;
import dev.berth.model.Ulimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** docker's run flags as the records docker's CLI sends: one case per flag family, and docker's errors. */
class ContainerOptionsTest {
    @TempDir
    Path dir;

    @CommandLine.Command(name = "run")
    static final class Run {
        @CommandLine.Mixin
        RunFlags flags;
    }

    private static ContainerOptions.Spec parse(String... args) {
        return parse(Map.of(), args);
    }

    private static ContainerOptions.Spec parse(Map<String, String> env, String... args) {
        Run run = new Run();
        new CommandLine(run).parseArgs(args);
        return ContainerOptions.parse(run.flags, "busybox", List.of("sh"), env);
    }

    @Test
    void networkAliasAndIp_areTheEndpointOfTheNetwork() {
        ContainerOptions.Spec s = parse("--network", "front", "--network-alias", "web", "--net-alias", "www",
                "--ip", "10.9.0.10");
        assertEquals("front", s.host().networkMode());
        var endpoint = s.networking().endpointsConfig().get("front");
        assertEquals(List.of("web", "www"), endpoint.aliases());
        assertEquals("10.9.0.10", endpoint.ipamConfig().ipv4Address());
        assertEquals(Map.of(), parse("--network", "front").networking().endpointsConfig());
    }

    @Test
    void env_filesFirstThenFlags_nameAloneTakesTheCliEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("env"), "# comment\n\nA=from-file\n  HOME\nUNSET\n");
        ContainerOptions.Spec s = parse(Map.of("HOME", "/root", "EMPTY", ""), "--env-file", file.toString(), "-e",
                "A=1", "-e", "EMPTY", "-e", "NOPE");
        assertEquals(List.of("A=from-file", "HOME=/root", "A=1", "EMPTY="), s.config().env());
    }

    @Test
    void labels_fileAndFlags_nameAloneIsEmpty() throws IOException {
        Path file = Files.writeString(dir.resolve("labels"), "a=1\nb\n");
        ContainerOptions.Spec s = parse("--label-file", file.toString(), "-l", "c=3", "--label", "a=2");
        assertEquals(Map.of("a", "2", "b", "", "c", "3"), s.config().labels());
    }

    @Test
    void processFlags() {
        ContainerOptions.Spec s = parse("--entrypoint", "/bin/env", "-w", "/tmp", "-u", "nobody:users",
                "--group-add", "audio", "-h", "box", "--domainname", "example.org", "--init", "--stop-signal",
                "SIGUSR1", "--stop-timeout", "3", "--name", "web", "-t", "-i");
        assertEquals("web", s.name());
        assertEquals(List.of("/bin/env"), s.config().entrypoint());
        assertEquals(List.of("sh"), s.config().cmd());
        assertEquals("/tmp", s.config().workingDir());
        assertEquals("nobody:users", s.config().user());
        assertEquals(List.of("audio"), s.host().groupAdd());
        assertEquals("box", s.config().hostname());
        assertEquals("example.org", s.config().domainname());
        assertEquals(true, s.host().init());
        assertEquals("SIGUSR1", s.config().stopSignal());
        assertEquals(3, s.config().stopTimeout());
        assertEquals(true, s.config().tty());
        assertEquals(true, s.config().openStdin());
        assertEquals(true, s.config().attachStdin());
        assertEquals(true, s.config().stdinOnce());
    }

    @Test
    void detached_attachesNothing() {
        ContainerOptions.Spec s = parse("-d", "-i");
        assertNull(s.config().attachStdout());
        assertNull(s.config().attachStdin());
        assertEquals(true, s.config().openStdin());
        assertEquals(true, parse().config().attachStdout());
    }

    @Test
    void entrypointEmpty_resetsTheImagesEntrypoint() {
        assertEquals(List.of(""), parse("--entrypoint", "").config().entrypoint());
        assertNull(parse().config().entrypoint());
    }

    @Test
    void resources() {
        ContainerOptions.Spec s = parse("-m", "64m", "--memory-swap", "-1", "--cpus", "1.5", "--cpu-shares", "512",
                "--cpuset-cpus", "0-1", "--pids-limit", "100", "--oom-kill-disable", "--shm-size", "1g",
                "--ulimit", "nofile=1024:2048", "--ulimit", "nproc=50");
        assertEquals(64L << 20, s.host().memory());
        assertEquals(-1L, s.host().memorySwap());
        assertEquals(1_500_000_000L, s.host().nanoCpus());
        assertEquals(512L, s.host().cpuShares());
        assertEquals("0-1", s.host().cpusetCpus());
        assertEquals(100L, s.host().pidsLimit());
        assertEquals(true, s.host().oomKillDisable());
        assertEquals(1L << 30, s.host().shmSize());
        assertEquals(List.of(new Ulimit("nofile", 1024L, 2048L), new Ulimit("nproc", 50L, 50L)), s.host().ulimits());
    }

    @Test
    void security() throws IOException {
        Path profile = Files.writeString(dir.resolve("seccomp.json"), "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\"\n}");
        ContainerOptions.Spec s = parse("--cap-add", "NET_ADMIN", "--cap-drop", "ALL", "--privileged",
                "--security-opt", "no-new-privileges", "--security-opt", "seccomp=" + profile, "--security-opt",
                "apparmor:unconfined", "--read-only", "--sysctl", "net.ipv4.ip_forward=1", "--device",
                "/dev/fuse", "--device", "/dev/sda:/dev/xvda:r", "--device", "/dev/null:rw");
        assertEquals(List.of("NET_ADMIN"), s.host().capAdd());
        assertEquals(List.of("ALL"), s.host().capDrop());
        assertEquals(true, s.host().privileged());
        assertEquals(List.of("no-new-privileges", "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}",
                "apparmor=unconfined"), s.host().securityOpt(), "docker's CLI sends the profile, compacted");
        assertEquals(true, s.host().readonlyRootfs());
        assertEquals(Map.of("net.ipv4.ip_forward", "1"), s.host().sysctls());
        assertEquals(List.of(new DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"),
                new DeviceMapping("/dev/sda", "/dev/xvda", "r"), new DeviceMapping("/dev/null", "/dev/null", "rw")),
                s.host().devices());
    }

    @Test
    void health() {
        HealthConfig h = parse("--health-cmd", "wget -q localhost", "--health-interval", "1m30s",
                "--health-timeout", "500ms", "--health-start-period", "2s", "--health-retries", "4").config()
                .healthcheck();
        assertEquals(new HealthConfig(List.of("CMD-SHELL", "wget -q localhost"), 90_000_000_000L, 500_000_000L,
                2_000_000_000L, 4), h);
        assertEquals(List.of("NONE"), parse("--no-healthcheck").config().healthcheck().test());
        assertNull(parse("--health-retries", "2").config().healthcheck().test(), "no command: the image's");
        CliException e = assertThrows(CliException.class, () -> parse("--no-healthcheck", "--health-cmd", "x"));
        assertEquals("--no-healthcheck conflicts with --health-* options", e.getMessage());
        assertThrows(CliException.class, () -> parse("--health-interval", "soon"));
    }

    @Test
    void restart() {
        assertEquals(new RestartPolicy("on-failure", 3), parse("--restart", "on-failure:3").host().restartPolicy());
        assertEquals(new RestartPolicy("unless-stopped", 0), parse("--restart", "unless-stopped").host()
                .restartPolicy());
        CliException conflict = assertThrows(CliException.class, () -> parse("--rm", "--restart", "always"));
        assertEquals(125, conflict.exitCode());
        assertEquals("Conflicting options: --restart and --rm", conflict.getMessage());
        assertThrows(CliException.class, () -> parse("--restart", "always:3"));
        assertThrows(CliException.class, () -> parse("--restart", "sometimes"));
        assertEquals(true, parse("--rm", "-d").host().autoRemove(), "-d --rm is allowed, as docker's");
    }

    @Test
    void storage() {
        ContainerOptions.Spec s = parse("-v", "data:/data", "-v", "/host:/h:ro", "-v", "/anon", "--tmpfs",
                "/run:size=64m", "--tmpfs", "/tmp", "--volumes-from", "other:ro", "--mount",
                "type=volume,source=v,target=/v,readonly,volume-nocopy,volume-label=a=b", "--mount",
                "type=bind,src=/etc,dst=/e,bind-propagation=rslave", "--mount",
                "type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=1770");
        assertEquals(List.of("data:/data", "/host:/h:ro"), s.host().binds());
        assertEquals(Map.of("/anon", Map.of()), s.config().volumes());
        assertEquals(Map.of("/run", "size=64m", "/tmp", ""), s.host().tmpfs());
        assertEquals(List.of("other:ro"), s.host().volumesFrom());
        List<Mount> mounts = s.host().mounts();
        assertEquals(new Mount("volume", "v", "/v", true, null, null,
                new Mount.VolumeOptions(true, Map.of("a", "b"), null), null), mounts.get(0));
        assertEquals(new Mount("bind", "/etc", "/e", null, null, new Mount.BindOptions("rslave", null, null), null,
                null), mounts.get(1));
        assertEquals(new Mount("tmpfs", null, "/t", null, null, null, null, new Mount.TmpfsOptions(1L << 20, 01770)),
                mounts.get(2));
        CliException e = assertThrows(CliException.class, () -> parse("--mount", "type=volume,source=v"));
        assertTrue(e.getMessage().contains("target is required"), e.getMessage());
    }

    @Test
    void logging() {
        ContainerOptions.Spec s = parse("--log-driver", "json-file", "--log-opt", "max-size=1m", "--log-opt",
                "max-file=3");
        assertEquals("json-file", s.host().logConfig().type());
        assertEquals(Map.of("max-size", "1m", "max-file", "3"), s.host().logConfig().config());
        assertEquals("none", parse("--log-driver", "none").host().logConfig().type());
    }

    @Test
    void ports() {
        ContainerOptions.Spec s = parse("-p", "8080:80", "-p", "127.0.0.1:5353:53/udp", "-p", "9000",
                "-p", "7000-7001:7000-7001", "--expose", "22");
        assertEquals(List.of(new PortBinding("", "8080")), s.host().portBindings().get("80/tcp"));
        assertEquals(List.of(new PortBinding("127.0.0.1", "5353")), s.host().portBindings().get("53/udp"));
        assertEquals(List.of(new PortBinding("", "")), s.host().portBindings().get("9000/tcp"));
        assertEquals(List.of(new PortBinding("", "7001")), s.host().portBindings().get("7001/tcp"));
        assertEquals(List.of("80/tcp", "53/udp", "9000/tcp", "7000/tcp", "7001/tcp", "22/tcp"),
                List.copyOf(s.config().exposedPorts().keySet()));
        assertThrows(CliException.class, () -> parse("-p", "80/icmp"));
        assertThrows(CliException.class, () -> parse("-p", "0:99999"));
    }

    @Test
    void badSizes_areDockersError() {
        CliException e = assertThrows(CliException.class, () -> parse("-m", "lots"));
        assertEquals("invalid argument \"lots\" for \"-m, --memory\" flag: invalid size: 'lots'", e.getMessage());
        assertEquals(125, e.exitCode());
    }

    @Test
    void absentFlags_areLeftOutOfTheJson() {
        String json = new String(DockerJson.write(parse().host()), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{}", json);
    }
}
