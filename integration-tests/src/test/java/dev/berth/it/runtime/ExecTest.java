package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import dev.berth.testsupport.Json;
import dev.berth.it.support.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code exec}: another process in a running container, with the container's namespaces and the given settings. */
class ExecTest extends ContainerTest {

    private String id;

    @BeforeEach
    void startContainer() {
        id = newId();
        runtime.createAndStart(id, newBundle().rootReadonly(false).hostname("exec-host").args("sleep", "60"));
    }

    @Test
    void exec_args_runInContainerNamespaces() {
        CliResult r = runtime.execIn(id, "sh", "-c", "hostname; echo $$; ls -d /proc/[0-9]* | wc -l").assertSuccess();
        String[] lines = r.stdout().split("\n");
        assertEquals("exec-host", lines[0]);
        assertTrue(Long.parseLong(lines[1]) > 1, "not PID 1: " + r);
        // sleep (1), sh, ls and wc: the container's PID namespace, not the host's.
        assertTrue(Integer.parseInt(lines[2].strip()) <= 5, r.toString());
    }

    @Test
    void exec_exitCode_isPropagated() {
        assertEquals(42, runtime.execIn(id, "sh", "-c", "exit 42").exitCode());
        assertEquals(0, runtime.execIn(id, "true").exitCode());
    }

    @Test
    void exec_env_isAddedToSpecEnv() {
        String out = runtime.execWith(List.of("--env", "FOO=bar", "--env", "TERM=dumb"), id, "env")
                .assertSuccess().stdout();
        assertTrue(out.contains("FOO=bar\n"), out);
        assertTrue(out.contains("TERM=dumb\n") && !out.contains("TERM=xterm"), "--env overrides the spec: " + out);
        assertTrue(out.contains("PATH=/usr/local/sbin:"), "the spec's env stays: " + out);
    }

    @Test
    void exec_cwd_isApplied() {
        assertEquals("/tmp\n", runtime.execWith(List.of("--cwd", "/tmp"), id, "pwd").assertSuccess().stdout());
    }

    @Test
    void exec_user_isApplied() {
        assertEquals("1000:1000\n", runtime.execWith(List.of("--user", "1000:1000"), id, "sh", "-c",
                "echo $(id -u):$(id -g)").assertSuccess().stdout());
    }

    @Test
    void exec_processFile_isUsedAsTheWholeProcess() throws Exception {
        Map<String, Object> process = dev.berth.testsupport.Json.obj(
                "terminal", false,
                "user", dev.berth.testsupport.Json.obj("uid", 1000L, "gid", 1000L),
                "args", dev.berth.testsupport.Json.arr("sh", "-c", "echo $GREETING; pwd; id -u"),
                "env", dev.berth.testsupport.Json.arr("PATH=/bin", "GREETING=from process.json"),
                "cwd", "/home/user");
        Path file = Files.writeString(tmp.resolve("process.json"), Json.write(process));
        String out = runtime.execWith(List.of("--process", file.toString()), id).assertSuccess().stdout();
        assertEquals("from process.json\n/home/user\n1000\n", out);
    }

    @Test
    void exec_detachWithPidFile_writesPidOfRunningProcess() throws Exception {
        Path pidFile = tmp.resolve("exec.pid");
        runtime.execWith(List.of("--detach", "--pid-file", pidFile.toString()), id, "sleep", "30").assertSuccess();
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(ProcessHandle.of(pid).isPresent(), "the exec'd process runs: " + pid);
        // The host pid of the exec'd process is one of the container's processes.
        String ps = runtime.call("ps", "--format", "json", id).assertSuccess().stdout();
        assertTrue(Json.parseArray(ps).contains(pid), ps);
    }

    @Test
    void exec_inStoppedContainer_fails() {
        runtime.kill(id, "KILL").assertSuccess();
        runtime.awaitStatus(id, "stopped", Duration.ofSeconds(10));
        CliResult r = runtime.execIn(id, "true").assertFailure();
        assertTrue(r.output().contains("stopped") || r.output().contains("not running"), r.toString());
    }

    @Test
    void exec_missingBinary_failsWithoutStoppingContainer() {
        CliResult r = runtime.execIn(id, "/no/such/binary").assertFailure();
        assertTrue(r.output().contains("no such file") || r.output().contains("not found"), r.toString());
        assertEquals("running", runtime.status(id));
    }

    @Test
    void exec_processExits_containerKeepsRunning() {
        runtime.execIn(id, "true").assertSuccess();
        Wait.sleep(Duration.ofMillis(100));
        assertEquals("running", runtime.status(id));
    }
}
