package dev.berth.manager.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.engine.volume.ContainerMount;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DeviceMapping;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import dev.berth.model.Ulimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecBuilderTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final ContainerConfig SH = new ContainerConfig.Builder().cmd(List.of("sh")).build();

    @TempDir
    Path dir;
    private Path rootfs;
    private Path containerDir;
    private Path resolvConf;
    private SpecBuilder builder;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                app:x:1000:1001:App:/home/app:/bin/sh
                daemon:x:2:2::/:/bin/false
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                app:x:1001:
                wheel:x:10:app,daemon
                audio:x:29:app
                staff:x:50:
                """);
        containerDir = dir.resolve("container");
        resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, "nameserver 10.0.0.2\nsearch example.test\n");
        builder = new SpecBuilder(Optional.of(dir.resolve("berth-docker-init")),
                new HostFacts(Capabilities.ALL, resolvConf, Path.of("/dev"), -100));
    }

    private JsonNode spec(ContainerConfig config, HostConfig host, List<ContainerMount> mounts) throws IOException {
        byte[] bytes = builder.build(new SpecRequest("ns", ID, "name", config, host, mounts, rootfs, containerDir));
        return DockerJson.mapper().readTree(bytes);
    }

    private JsonNode spec(UnaryOperator<HostConfig.Builder> host) throws IOException {
        return spec(SH, host.apply(new HostConfig.Builder()).build(), List.of());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode mountAt(JsonNode spec, String destination) {
        for (JsonNode m : spec.path("mounts")) {
            if (m.path("destination").asText().equals(destination)) {
                return m;
            }
        }
        return null;
    }

    private static BerthException invalid(org.junit.jupiter.api.function.Executable call) {
        BerthException e = assertThrows(BerthException.class, call);
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        return e;
    }

    @Test
    void build_defaults_asDocker() throws IOException {
        JsonNode spec = spec(h -> h);
        JsonNode process = spec.path("process");
        assertEquals(List.of("sh"), texts(process.path("args")));
        assertEquals(List.of(SpecBuilder.DEFAULT_PATH, "HOSTNAME=0123456789ab", "HOME=/root"),
                texts(process.path("env")));
        assertEquals("/", process.path("cwd").asText());
        assertEquals(0, process.path("user").path("uid").asInt());
        assertEquals(List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
                "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT",
                "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP"), texts(process.path("capabilities").path("effective")));
        assertEquals(texts(process.path("capabilities").path("effective")),
                texts(process.path("capabilities").path("bounding")));
        assertFalse(process.has("noNewPrivileges"));
        assertEquals("0123456789ab", spec.path("hostname").asText());
        assertFalse(spec.path("root").path("readonly").asBoolean());
        JsonNode linux = spec.path("linux");
        assertEquals(SpecBuilder.MASKED_PATHS, texts(linux.path("maskedPaths")));
        assertEquals(SpecBuilder.READONLY_PATHS, texts(linux.path("readonlyPaths")));
        assertEquals("/ns/" + ID, linux.path("cgroupsPath").asText());
        assertEquals(List.of("mount", "network", "uts", "pid", "ipc"),
                linux.path("namespaces").findValuesAsText("type"));
        assertEquals("SCMP_ACT_ERRNO", linux.path("seccomp").path("defaultAction").asText());
        assertTrue(texts(mountAt(spec, "/dev/shm").path("options")).contains("size=67108864"));
        assertEquals("ro", mountAt(spec, "/sys").path("options").get(3).asText());
        JsonNode deny = linux.path("resources").path("devices").get(0);
        assertFalse(deny.path("allow").asBoolean());
        for (String file : List.of("hosts", "hostname", "resolv.conf")) {
            JsonNode m = mountAt(spec, "/etc/" + file);
            assertEquals(containerDir.resolve(file).toString(), m.path("source").asText());
            assertEquals(List.of("rbind", "rprivate"), texts(m.path("options")));
        }
        assertEquals("0123456789ab\n", Files.readString(containerDir.resolve("hostname")));
        assertEquals("nameserver 10.0.0.2\nsearch example.test\n", Files.readString(containerDir.resolve("resolv.conf")));
        assertTrue(Files.readString(containerDir.resolve("hosts")).startsWith("127.0.0.1\tlocalhost\n"));
    }

    @Test
    void networkNamespace_joinsTheSandboxPath_forAnyModeButHost() throws IOException {
        Path netns = dir.resolve("netns-of-container");
        for (String mode : List.of("bridge", "usernet", "container:abc")) {
            byte[] bytes = builder.build(new SpecRequest("ns", ID, "name", SH, new HostConfig.Builder()
                    .networkMode(mode).build(), List.of(), rootfs, containerDir, Optional.of(netns)));
            JsonNode network = DockerJson.mapper().readTree(bytes).path("linux").path("namespaces").get(1);
            assertEquals("network", network.path("type").asText(), mode);
            assertEquals(netns.toString(), network.path("path").asText(), mode);
        }
        JsonNode host = spec(h -> h.networkMode("host"));
        assertFalse(host.path("linux").path("namespaces").findValuesAsText("type").contains("network"));
    }

    @Test
    void build_badOption_leavesNothingBehind() {
        invalid(() -> spec(new ContainerConfig.Builder().cmd(List.of("sh")).workingDir("/new").build(),
                new HostConfig.Builder().sysctls(Map.of("vm.swappiness", "1")).build(), List.of()));
        assertFalse(Files.exists(containerDir));
        assertFalse(Files.exists(rootfs.resolve("new")));
    }

    @Test
    void build_noCommand_isAnError() {
        BerthException e = invalid(() -> spec(ContainerConfig.EMPTY, HostConfig.EMPTY, List.of()));
        assertEquals("create container: no command specified", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NET_ADMIN |           | +CAP_NET_ADMIN",
        "cap_sys_admin |       | +CAP_SYS_ADMIN",
        "          | MKNOD     | -CAP_MKNOD",
        "          | CAP_CHOWN | -CAP_CHOWN",
        "CHOWN     | ALL       | =CAP_CHOWN",
        "ALL       | MKNOD     | -CAP_MKNOD +CAP_SYS_ADMIN +CAP_BPF",
        "ALL       |           | +CAP_SYS_MODULE"})
    void build_capAddDrop(String add, String drop, String expect) throws IOException {
        JsonNode spec = spec(h -> h.capAdd(add == null ? null : List.of(add))
                .capDrop(drop == null ? null : List.of(drop)));
        List<String> caps = texts(spec.path("process").path("capabilities").path("effective"));
        for (String word : expect.split(" ")) {
            String cap = word.substring(1);
            switch (word.charAt(0)) {
                case '+' -> assertTrue(caps.contains(cap), caps.toString());
                case '-' -> assertFalse(caps.contains(cap), caps.toString());
                default -> assertEquals(List.of(cap), caps);
            }
        }
    }

    @Test
    void build_unknownCapability_namesIt() {
        BerthException e = invalid(() -> spec(h -> h.capAdd(List.of("FLY"))));
        assertTrue(e.getMessage().contains("--cap-add") && e.getMessage().contains("FLY"), e.getMessage());
    }

    @Test
    void build_capAdd_outsideHostBoundingSet_isLeftOut() throws IOException {
        builder = new SpecBuilder(Optional.empty(), new HostFacts(
                Capabilities.ALL.stream().filter(c -> !c.equals("CAP_SYS_RESOURCE")).toList(), resolvConf,
                Path.of("/dev"), -100));
        JsonNode spec = spec(h -> h.capAdd(List.of("SYS_RESOURCE", "SYS_ADMIN")));
        List<String> caps = texts(spec.path("process").path("capabilities").path("effective"));
        assertFalse(caps.contains("CAP_SYS_RESOURCE"));
        assertTrue(caps.contains("CAP_SYS_ADMIN"));
    }

    @Test
    void hostFacts_system_readsTheWholeBoundingSet() throws IOException {
        // /proc/sys/kernel/cap_last_cap reports size 0: a reader that trusts the size gets "4" of "40".
        long bounding = Long.parseUnsignedLong(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).trim(), 16);
        List<String> expected = new ArrayList<>();
        for (int n = 0; n < Capabilities.ALL.size(); n++) {
            if ((bounding & (1L << n)) != 0) {
                expected.add(Capabilities.ALL.get(n));
            }
        }
        assertEquals(expected, HostFacts.system().capabilities());
    }

    @Test
    void build_privileged_liftsConfinement() throws IOException {
        JsonNode spec = spec(h -> h.privileged(true));
        assertEquals(Capabilities.ALL, texts(spec.path("process").path("capabilities").path("effective")));
        JsonNode linux = spec.path("linux");
        assertFalse(linux.has("seccomp"));
        assertFalse(linux.has("maskedPaths"));
        assertFalse(linux.has("readonlyPaths"));
        assertTrue(linux.path("resources").path("devices").get(0).path("allow").asBoolean());
        assertTrue(linux.path("devices").findValuesAsText("path").contains("/dev/null"));
        assertEquals("rw", mountAt(spec, "/sys").path("options").get(3).asText());
        assertEquals("rw", mountAt(spec, "/sys/fs/cgroup").path("options").get(0).asText());
    }

    @Test
    void build_securityOpts() throws IOException {
        assertTrue(spec(h -> h.securityOpt(List.of("no-new-privileges"))).path("process")
                .path("noNewPrivileges").asBoolean());
        assertTrue(spec(h -> h.securityOpt(List.of("no-new-privileges:true"))).path("process")
                .path("noNewPrivileges").asBoolean());
        assertFalse(spec(h -> h.securityOpt(List.of("seccomp=unconfined"))).path("linux").has("seccomp"));
        JsonNode custom = spec(h -> h.securityOpt(List.of("seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\","
                + "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}")))
                .path("linux").path("seccomp");
        assertEquals("SCMP_ACT_ALLOW", custom.path("defaultAction").asText());
        assertEquals("mkdir", custom.path("syscalls").get(0).path("names").get(0).asText());
        assertFalse(spec(h -> h.securityOpt(List.of("systempaths=unconfined"))).path("linux").has("maskedPaths"));
        invalid(() -> spec(h -> h.securityOpt(List.of("bogus=1"))));
        invalid(() -> spec(h -> h.securityOpt(List.of("seccomp={broken"))));
        BerthException e = invalid(() -> spec(h -> h.securityOpt(List.of("seccomp=" + dir.resolve("none.json")))));
        assertTrue(e.getMessage().contains("none.json"), e.getMessage());
    }

    @Test
    void build_seccompFile_isRead() throws IOException {
        Path profile = Files.writeString(dir.resolve("p.json"), "{\"defaultAction\":\"SCMP_ACT_LOG\"}");
        assertEquals("SCMP_ACT_LOG", spec(h -> h.securityOpt(List.of("seccomp=" + profile))).path("linux")
                .path("seccomp").path("defaultAction").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "           |        | 0    | 0    | 0",
        "app        |        | 1000 | 1001 | 1001,10,29",
        "1000       |        | 1000 | 1001 | 1001,10,29",
        "app:staff  |        | 1000 | 50   | 50",
        "app:77     |        | 1000 | 77   | 77",
        "4242       |        | 4242 | 0    | 0",
        "4242:4343  |        | 4242 | 4343 | 4343",
        "daemon     | audio  | 2    | 2    | 2,10,29",
        "daemon     | 777    | 2    | 2    | 2,10,777"})
    void build_user(String user, String groupAdd, long uid, long gid, String gids) throws IOException {
        JsonNode spec = spec(new ContainerConfig.Builder().cmd(List.of("sh")).user(user).build(),
                new HostConfig.Builder().groupAdd(groupAdd == null ? null : List.of(groupAdd)).build(), List.of());
        JsonNode u = spec.path("process").path("user");
        assertEquals(uid, u.path("uid").asLong());
        assertEquals(gid, u.path("gid").asLong());
        List<String> expected = gids.isEmpty() ? List.of() : List.of(gids.split(","));
        assertEquals(expected, texts(u.path("additionalGids")));
    }

    @Test
    void build_user_home() throws IOException {
        JsonNode spec = spec(new ContainerConfig.Builder().cmd(List.of("sh")).user("app").build(),
                HostConfig.EMPTY, List.of());
        assertTrue(texts(spec.path("process").path("env")).contains("HOME=/home/app"));
    }

    @Test
    void build_unknownUserOrGroup_namesIt() {
        BerthException e = invalid(() -> spec(new ContainerConfig.Builder().cmd(List.of("sh")).user("ghost").build(),
                HostConfig.EMPTY, List.of()));
        assertEquals("unable to find user ghost: no matching entries in passwd file", e.getMessage());
        e = invalid(() -> spec(new ContainerConfig.Builder().cmd(List.of("sh")).user("app:ghosts").build(),
                HostConfig.EMPTY, List.of()));
        assertEquals("unable to find group ghosts: no matching entries in group file", e.getMessage());
        e = invalid(() -> spec(SH, new HostConfig.Builder().groupAdd(List.of("nogroup")).build(), List.of()));
        assertTrue(e.getMessage().contains("nogroup"), e.getMessage());
    }

    @Test
    void build_passwdLinkOutOfRootfs_staysInside() throws IOException {
        Path outside = Files.writeString(dir.resolve("host-passwd"), "ghost:x:666:666::/:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.writeString(rootfs.resolve("inside-passwd"), "ghost:x:1234:1234::/:/bin/sh\n");
        // An absolute target resolves in the rootfs, and ".." stops at its root: both reach the rootfs's own file.
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/../../../inside-passwd"));
        assertTrue(Files.exists(outside));
        JsonNode spec = spec(new ContainerConfig.Builder().cmd(List.of("sh")).user("ghost").build(),
                HostConfig.EMPTY, List.of());
        assertEquals(1234, spec.path("process").path("user").path("uid").asLong());
    }

    @Test
    void build_resources() throws IOException {
        JsonNode r = spec(h -> h.memory(64L << 20).memorySwap(128L << 20).memoryReservation(32L << 20)
                .nanoCpus(1_500_000_000L).cpuShares(512L).cpusetCpus("0").cpusetMems("0").pidsLimit(50L)
                .oomKillDisable(true).blkioWeight(300)).path("linux").path("resources");
        assertEquals(64L << 20, r.path("memory").path("limit").asLong());
        assertEquals(128L << 20, r.path("memory").path("swap").asLong());
        assertEquals(32L << 20, r.path("memory").path("reservation").asLong());
        assertTrue(r.path("memory").path("disableOOMKiller").asBoolean());
        assertEquals(150_000, r.path("cpu").path("quota").asLong());
        assertEquals(100_000, r.path("cpu").path("period").asLong());
        assertEquals(512, r.path("cpu").path("shares").asLong());
        assertEquals("0", r.path("cpu").path("cpus").asText());
        assertEquals(50, r.path("pids").path("limit").asLong());
        assertEquals(300, r.path("blockIO").path("weight").asInt());
        JsonNode q = spec(h -> h.cpuPeriod(50_000L).cpuQuota(25_000L)).path("linux").path("resources").path("cpu");
        assertEquals(25_000, q.path("quota").asLong());
        assertEquals(50_000, q.path("period").asLong());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "memory=1000             | --memory",
        "memorySwap=100000000    | --memory-swap",
        "memory=100000000,memorySwap=50000000 | --memory-swap",
        "memory=10000000,memoryReservation=20000000 | --memory-reservation",
        "nanoCpus=1000000000,cpuQuota=50000 | --cpus",
        "cpuPeriod=10            | --cpu-period",
        "blkioWeight=5           | --blkio-weight",
        "cpusetCpus=0-x          | --cpuset-cpus"})
    void build_badResources_nameTheFlag(String settings, String flag) {
        HostConfig.Builder h = new HostConfig.Builder();
        for (String setting : settings.split(",")) {
            String[] kv = setting.split("=");
            switch (kv[0]) {
                case "memory" -> h.memory(Long.parseLong(kv[1]));
                case "memorySwap" -> h.memorySwap(Long.parseLong(kv[1]));
                case "memoryReservation" -> h.memoryReservation(Long.parseLong(kv[1]));
                case "nanoCpus" -> h.nanoCpus(Long.parseLong(kv[1]));
                case "cpuQuota" -> h.cpuQuota(Long.parseLong(kv[1]));
                case "cpuPeriod" -> h.cpuPeriod(Long.parseLong(kv[1]));
                case "blkioWeight" -> h.blkioWeight(Integer.parseInt(kv[1]));
                case "cpusetCpus" -> h.cpusetCpus(kv[1]);
                default -> throw new IllegalArgumentException(kv[0]);
            }
        }
        BerthException e = invalid(() -> spec(SH, h.build(), List.of()));
        assertTrue(e.getMessage().startsWith("invalid " + flag), e.getMessage());
    }

    @Test
    void build_oomScoreAdj_notBelowBerthds() throws IOException {
        assertEquals(500, spec(h -> h.oomScoreAdj(500)).path("process").path("oomScoreAdj").asInt());
        assertEquals(-100, spec(h -> h.oomScoreAdj(-900)).path("process").path("oomScoreAdj").asInt());
        invalid(() -> spec(h -> h.oomScoreAdj(1001)));
    }

    @Test
    void build_ulimits() throws IOException {
        JsonNode rlimits = spec(h -> h.ulimits(List.of(new Ulimit("nofile", 100L, 200L), new Ulimit("nproc", 50L,
                null)))).path("process").path("rlimits");
        assertEquals("RLIMIT_NOFILE", rlimits.get(0).path("type").asText());
        assertEquals(100, rlimits.get(0).path("soft").asLong());
        assertEquals(200, rlimits.get(0).path("hard").asLong());
        assertEquals(50, rlimits.get(1).path("hard").asLong());
        invalid(() -> spec(h -> h.ulimits(List.of(new Ulimit("wings", 1L, 1L)))));
        invalid(() -> spec(h -> h.ulimits(List.of(new Ulimit("nofile", 10L, 5L)))));
    }

    @Test
    void build_sysctls_dockersAllowList() throws IOException {
        JsonNode sysctl = spec(h -> h.sysctls(Map.of("net.ipv4.ip_forward", "1", "kernel.shmmax", "1000",
                "fs.mqueue.msg_max", "20"))).path("linux").path("sysctl");
        assertEquals("1", sysctl.path("net.ipv4.ip_forward").asText());
        assertEquals("1000", sysctl.path("kernel.shmmax").asText());
        assertEquals("20", sysctl.path("fs.mqueue.msg_max").asText());
        for (String refused : List.of("kernel.hostname", "vm.swappiness", "kernel.panic")) {
            BerthException e = invalid(() -> spec(h -> h.sysctls(Map.of(refused, "1"))));
            assertTrue(e.getMessage().contains(refused), e.getMessage());
        }
        invalid(() -> spec(h -> h.ipcMode("host").sysctls(Map.of("kernel.shmmax", "1"))));
        invalid(() -> spec(h -> h.networkMode("host").sysctls(Map.of("net.ipv4.ip_forward", "1"))));
    }

    @Test
    void build_devices() throws IOException {
        JsonNode linux = spec(h -> h.devices(List.of(new DeviceMapping("/dev/null", "/dev/mynull", "rw"))))
                .path("linux");
        JsonNode device = linux.path("devices").get(0);
        assertEquals("/dev/mynull", device.path("path").asText());
        assertEquals("c", device.path("type").asText());
        assertEquals(1, device.path("major").asLong());
        assertEquals(3, device.path("minor").asLong());
        JsonNode rules = linux.path("resources").path("devices");
        JsonNode last = rules.get(rules.size() - 1);
        assertEquals("rw", last.path("access").asText());
        assertEquals(3, last.path("minor").asLong());
        BerthException e = invalid(() -> spec(h -> h.devices(List.of(new DeviceMapping("/dev/no-such-thing", "",
                "")))));
        assertTrue(e.getMessage().contains("/dev/no-such-thing"), e.getMessage());
        invalid(() -> spec(h -> h.devices(List.of(new DeviceMapping("/dev/null", "", "rwx")))));
        invalid(() -> spec(h -> h.devices(List.of(new DeviceMapping(resolvConf.toString(), "", "")))));
    }

    @Test
    void build_readOnlyRootfs_keepsTmpfsWritable() throws IOException {
        ContainerMount tmp = new ContainerMount("tmpfs", "", "", "/tmp", "", true, "", false,
                List.of("nosuid", "nodev", "size=1m"));
        JsonNode spec = spec(SH, new HostConfig.Builder().readonlyRootfs(true).build(), List.of(tmp));
        assertTrue(spec.path("root").path("readonly").asBoolean());
        assertFalse(texts(mountAt(spec, "/tmp").path("options")).contains("ro"));
        assertEquals("tmpfs", mountAt(spec, "/tmp").path("type").asText());
        assertTrue(texts(mountAt(spec, "/etc/hosts").path("options")).contains("ro"));
    }

    @Test
    void build_mounts_parentsFirst_andReplaceDefaults() throws IOException {
        List<ContainerMount> mounts = List.of(
                new ContainerMount("bind", "", "/srv/a", "/data/a/b", "", true, "rprivate", false,
                        List.of("rbind", "rprivate")),
                new ContainerMount("volume", "v", "/vol/_data", "/data", "", true, "rprivate", false,
                        List.of("rbind", "rprivate")),
                new ContainerMount("tmpfs", "", "", "/dev/shm", "", true, "", false, List.of("size=1m")),
                new ContainerMount("bind", "", "/srv/hosts", "/etc/hosts", "ro", false, "rprivate", false,
                        List.of("rbind", "ro")));
        JsonNode spec = spec(SH, HostConfig.EMPTY, mounts);
        List<String> destinations = spec.path("mounts").findValuesAsText("destination");
        assertTrue(destinations.indexOf("/data") < destinations.indexOf("/data/a/b"), destinations.toString());
        assertEquals(1, destinations.stream().filter("/dev/shm"::equals).count());
        assertEquals(List.of("size=1m"), texts(mountAt(spec, "/dev/shm").path("options")));
        assertEquals("/srv/hosts", mountAt(spec, "/etc/hosts").path("source").asText());
        assertEquals("/vol/_data", mountAt(spec, "/data").path("source").asText());
    }

    @Test
    void build_shmSize() throws IOException {
        assertTrue(texts(mountAt(spec(h -> h.shmSize(1L << 20)), "/dev/shm").path("options"))
                .contains("size=1048576"));
    }

    @Test
    void build_hostnameDomainnameTty() throws IOException {
        JsonNode spec = spec(new ContainerConfig.Builder().cmd(List.of("sh")).hostname("web").domainname("example.test")
                .tty(true).env(List.of("PATH=/mine", "HOME=/h")).workingDir("/w").build(), HostConfig.EMPTY,
                List.of());
        assertEquals("web", spec.path("hostname").asText());
        assertEquals("example.test", spec.path("domainname").asText());
        assertTrue(spec.path("process").path("terminal").asBoolean());
        assertEquals(List.of("PATH=/mine", "HOSTNAME=web", "TERM=xterm", "HOME=/h"),
                texts(spec.path("process").path("env")));
        assertEquals("/w", spec.path("process").path("cwd").asText());
        assertTrue(Files.readString(containerDir.resolve("hosts")).contains("127.0.0.1\tweb.example.test web\n"));
    }

    @Test
    void build_workingDir_createdWhenMissing() throws IOException {
        spec(new ContainerConfig.Builder().cmd(List.of("sh")).workingDir("/srv/app").build(), HostConfig.EMPTY,
                List.of());
        assertTrue(Files.isDirectory(rootfs.resolve("srv/app")));
        Files.writeString(rootfs.resolve("file"), "");
        BerthException e = invalid(() -> spec(new ContainerConfig.Builder().cmd(List.of("sh")).workingDir("/file")
                .build(), HostConfig.EMPTY, List.of()));
        assertTrue(e.getMessage().contains("/file"), e.getMessage());
        invalid(() -> spec(new ContainerConfig.Builder().cmd(List.of("sh")).workingDir("relative").build(),
                HostConfig.EMPTY, List.of()));
    }

    @Test
    void build_init() throws IOException {
        JsonNode spec = spec(h -> h.init(true));
        assertEquals(List.of("/sbin/docker-init", "--", "sh"), texts(spec.path("process").path("args")));
        JsonNode m = mountAt(spec, "/sbin/docker-init");
        assertEquals(dir.resolve("berth-docker-init").toString(), m.path("source").asText());
        assertTrue(texts(m.path("options")).contains("ro"));
        builder = new SpecBuilder(Optional.empty(),
                new HostFacts(Capabilities.ALL, resolvConf, Path.of("/dev"), -100));
        BerthException e = assertThrows(BerthException.class, () -> spec(h -> h.init(true)));
        assertEquals(ErrorKind.FAILED_PRECONDITION, e.kind());
    }

    @Test
    void build_hostNamespacesAndCgroupParent() throws IOException {
        JsonNode spec = spec(h -> h.pidMode("host").ipcMode("host").utsMode("host").cgroupnsMode("private")
                .cgroupParent("mine"));
        assertEquals(List.of("mount", "network", "cgroup"), spec.path("linux").path("namespaces")
                .findValuesAsText("type"));
        assertFalse(spec.has("hostname"));
        // The host's IPC namespace comes with the host's /dev/shm, as docker's --ipc host.
        assertEquals("/dev/shm", mountAt(spec, "/dev/shm").path("source").asText());
        assertEquals("bind", mountAt(spec, "/dev/shm").path("type").asText());
        assertEquals("/mine/" + ID, spec.path("linux").path("cgroupsPath").asText());
        invalid(() -> spec(h -> h.pidMode("sideways")));
        BerthException e = assertThrows(BerthException.class, () -> spec(h -> h.ipcMode("container:other")));
        assertEquals(ErrorKind.UNIMPLEMENTED, e.kind());
    }
}
