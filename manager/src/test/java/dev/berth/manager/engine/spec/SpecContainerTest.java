package dev.berth.manager.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manager.engine.volume.ContainerMount;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DeviceMapping;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import dev.berth.model.Ulimit;
import dev.berth.testsupport.BusyboxImage;
import dev.berth.testsupport.TarWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SpecBuilder's specs run as real containers: a busybox rootfs and the spec in a bundle, run by this checkout's
 * {@code bin/berth-runtime} (or the runtime {@code -Dberth.spec.runtime=} names, e.g. Debian's runc, to prove the
 * spec against the reference), each checked from inside the container.
 */
class SpecContainerTest {
    private static final Path REPO = Path.of(System.getProperty("berth.repo", "..")).toAbsolutePath().normalize();
    private static final Path RUNTIME = Path.of(System.getProperty("berth.spec.runtime",
            REPO.resolve("bin/berth-runtime").toString()));
    private static final Path INIT = REPO.resolve("lowlevel-runtime/target/" + SpecBuilder.INIT_NAME);
    /** docker's 14 default capabilities as /proc/self/status prints them. */
    private static final String DOCKER_CAPS = "00000000a80425fb";

    @TempDir
    Path tmp;
    private Path rootfs;
    private final List<String> ids = new ArrayList<>();
    private final SpecBuilder builder = new SpecBuilder(Optional.of(INIT));

    @BeforeEach
    void rootfs() throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(RUNTIME), RUNTIME + " is not built: mvn -DskipTests package");
        Path tar = tmp.resolve("busybox.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarWriter writer = new TarWriter(out)) {
            BusyboxImage.layer(writer);
        }
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", rootfs.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "untar busybox");
    }

    @AfterEach
    void deleteContainers() throws IOException, InterruptedException {
        for (String id : ids) {
            runtime("delete", "--force", id).waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A bundle for {@code script} run by {@code sh -c} with the host options {@code host} sets. */
    private String bundle(String script, UnaryOperator<HostConfig.Builder> host, List<ContainerMount> mounts,
                          UnaryOperator<ContainerConfig.Builder> config) throws IOException {
        String id = "spec-" + HexFormat.of().formatHex(randomBytes());
        Path bundle = Files.createDirectories(tmp.resolve(id));
        ContainerConfig c = config.apply(new ContainerConfig.Builder().cmd(List.of("sh", "-c", script))).build();
        byte[] spec = builder.build(new SpecRequest("berth-spec-test", id, id, c,
                host.apply(new HostConfig.Builder()).build(), mounts, rootfs,
                Files.createDirectories(bundle.resolve("files"))));
        ObjectNode json = (ObjectNode) DockerJson.mapper().readTree(spec);
        // One cgroup level of its own, which the runtime's delete removes: nothing left under a shared parent.
        ((ObjectNode) json.get("linux")).put("cgroupsPath", "/berth-" + id);
        ((ObjectNode) json.get("root")).put("path", rootfs.toString());
        Files.write(bundle.resolve("config.json"), DockerJson.write(json));
        ids.add(id);
        return id;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private Process runtime(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(RUNTIME.toString(), "--root", tmp.resolve("state").toString()));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private Result run(String id) throws IOException, InterruptedException {
        Process p = runtime("run", "--bundle", tmp.resolve(id).toString(), id);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("container " + id + " did not exit");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Result run(String script, UnaryOperator<HostConfig.Builder> host) throws IOException,
            InterruptedException {
        return run(bundle(script, host, List.of(), c -> c));
    }

    private String probe(String script, UnaryOperator<HostConfig.Builder> host) throws IOException,
            InterruptedException {
        Result r = run(script, host);
        assertEquals(0, r.exitCode(), r.toString());
        return r.stdout();
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).strip())
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + status));
    }

    @Test
    void defaults_capabilitiesAreDockers() throws Exception {
        String status = probe("cat /proc/self/status", h -> h);
        assertEquals(DOCKER_CAPS, field(status, "CapEff"));
        assertEquals(DOCKER_CAPS, field(status, "CapBnd"));
        assertEquals(DOCKER_CAPS, field(status, "CapPrm"));
        assertEquals("2", field(status, "Seccomp"));
        assertEquals("0", field(status, "NoNewPrivs"));
    }

    @Test
    void capDropAllAddOne_noNewPrivileges_negativeOomScoreAdj() throws Exception {
        String status = probe("cat /proc/self/status /proc/self/oom_score_adj",
                h -> h.capDrop(List.of("ALL")).capAdd(List.of("net_admin"))
                        .securityOpt(List.of("no-new-privileges")).oomScoreAdj(-500));
        assertEquals("0000000000001000", field(status, "CapEff"));
        assertEquals("1", field(status, "NoNewPrivs"));
        // berthd's own score is the floor: lowering it needs CAP_SYS_RESOURCE, which this VM's root lacks.
        assertEquals(String.valueOf(HostFacts.system().oomScoreAdj()), status.strip().lines().reduce((a, b) -> b)
                .orElseThrow());
    }

    @Test
    void defaultSeccomp_blocksUserNamespacesAndMount() throws Exception {
        Result unshare = run("unshare -U true", h -> h);
        assertNotEquals(0, unshare.exitCode(), unshare.toString());
        assertTrue(unshare.stderr().contains("Operation not permitted"), unshare.toString());
        Result mount = run("mkdir -p /tmp/m && mount -t tmpfs none /tmp/m", h -> h);
        assertNotEquals(0, mount.exitCode(), mount.toString());
        // No capability is needed to create a user namespace: only the profile refused it.
        assertEquals("ok\n", probe("unshare -U true && echo ok", h -> h.securityOpt(List.of("seccomp=unconfined"))));
    }

    @Test
    void privileged_allowsUserNamespacesAndMount_withEveryCapability() throws Exception {
        String out = probe("unshare -U true && mkdir -p /tmp/m && mount -t tmpfs none /tmp/m && echo ok"
                + " && grep -E '^(Seccomp|CapEff)' /proc/self/status", h -> h.privileged(true));
        assertTrue(out.startsWith("ok\n"), out);
        assertEquals("0", field(out, "Seccomp"));
        long expected = 0;
        for (String cap : HostFacts.system().capabilities()) {
            expected |= 1L << Capabilities.ALL.indexOf(cap);
        }
        assertEquals(String.format("%016x", expected), field(out, "CapEff"));
    }

    @Test
    void devShm_is64MB_orShmSize() throws Exception {
        assertTrue(probe("grep ' /dev/shm ' /proc/mounts", h -> h).contains("size=65536k"));
        assertTrue(probe("grep ' /dev/shm ' /proc/mounts", h -> h.shmSize(1L << 20)).contains("size=1024k"));
    }

    @Test
    void etcFiles_hostnameHostsResolvConf() throws Exception {
        String id = bundle("hostname; cat /etc/hostname /etc/hosts; grep -c . /etc/resolv.conf || true",
                h -> h.extraHosts(List.of("db:10.1.2.3")), List.of(), c -> c.hostname("web"));
        Result r = run(id);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().startsWith("web\nweb\n127.0.0.1\tlocalhost\n"), r.stdout());
        assertTrue(r.stdout().contains("10.1.2.3\tdb\n"), r.stdout());
        assertFalse(Files.readString(tmp.resolve(id).resolve("files/resolv.conf")).contains("nameserver 127."));
    }

    @Test
    void user_byNameFromTheImage_inACreatedWorkingDir() throws Exception {
        String id = bundle("id; pwd; echo $HOME", h -> h.groupAdd(List.of("nogroup")), List.of(),
                c -> c.user("user").workingDir("/work/dir"));
        Result r = run(id);
        assertEquals("uid=1000(user) gid=1000(user) groups=1000(user),65534(nogroup)\n/work/dir\n/home/user\n",
                r.stdout(), r.toString());
    }

    @Test
    void init_isPid1_reapsOrphans() throws Exception {
        String out = probe("cat /proc/1/comm; (sleep 0.2 &); sleep 1;"
                + " grep -l '^State:.Z' /proc/[0-9]*/status | wc -l", h -> h.init(true));
        assertEquals("docker-init\n0\n", out);
        Result exit = run("exit 3", h -> h.init(true));
        assertEquals(3, exit.exitCode(), exit.toString());
    }

    @Test
    void init_forwardsSigterm() throws Exception {
        String withInit = bundle("sleep 1000", h -> h.init(true), List.of(), c -> c);
        String without = bundle("sleep 1000", h -> h, List.of(), c -> c);
        Process a = runtime("run", "--bundle", tmp.resolve(withInit).toString(), withInit);
        Process b = runtime("run", "--bundle", tmp.resolve(without).toString(), without);
        try {
            awaitRunning(withInit);
            awaitRunning(without);
            runtime("kill", withInit, "TERM").waitFor(30, TimeUnit.SECONDS);
            runtime("kill", without, "TERM").waitFor(30, TimeUnit.SECONDS);
            assertTrue(a.waitFor(30, TimeUnit.SECONDS), "the init did not stop on SIGTERM");
            assertEquals(128 + 15, a.exitValue());
            // Without an init, sleep is PID 1: the kernel gives it no default action for SIGTERM.
            assertFalse(b.waitFor(1, TimeUnit.SECONDS), "PID 1 without a handler died of SIGTERM");
        } finally {
            runtime("kill", without, "KILL").waitFor(30, TimeUnit.SECONDS);
            b.waitFor(30, TimeUnit.SECONDS);
            a.destroyForcibly();
        }
    }

    /** Waits until the container's process has run its command (its PID 1 or init's child is sleep). */
    private void awaitRunning(String id) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Process ps = runtime("ps", id);
            String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (ps.waitFor(30, TimeUnit.SECONDS) && ps.exitValue() == 0 && out.contains("sleep")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("container " + id + " never ran sleep");
    }

    @Test
    void readOnlyRootfs_tmpfsStaysWritable() throws Exception {
        ContainerMount tmpfs = new ContainerMount("tmpfs", "", "", "/tmp", "", true, "", false,
                List.of("nosuid", "nodev", "size=1m"));
        Result r = run(bundle("touch /tmp/ok && echo tmp-ok; touch /etc/nope", h -> h.readonlyRootfs(true),
                List.of(tmpfs), c -> c));
        assertTrue(r.stdout().startsWith("tmp-ok\n"), r.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("Read-only file system"), r.toString());
    }

    @Test
    void resources_limitsDevicesSysctls() throws Exception {
        String out = probe("ulimit -n; cat /proc/sys/net/ipv4/ip_forward; echo x > /dev/mynull && echo dev-ok;"
                        + " cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max",
                h -> h.ulimits(List.of(new Ulimit("nofile", 100L, 200L)))
                        .sysctls(Map.of("net.ipv4.ip_forward", "1"))
                        .devices(List.of(new DeviceMapping("/dev/null", "/dev/mynull", "rwm")))
                        .memory(64L << 20).pidsLimit(40L));
        assertEquals("100\n1\ndev-ok\n67108864\n40\n", out);
    }
}
