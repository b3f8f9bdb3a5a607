package dev.berth.it.dockerapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code docker network …} of Debian's docker CLI 20.10 against a private berthd in a private network namespace
 * ({@link NetnsDockerFixture}): create with docker's options, ls with filters, inspect, connect and disconnect (also
 * of a created container), rm, prune, and containers on a user network reaching each other by name and alias
 * through the embedded DNS. Each test removes its containers and networks and checks no veth is left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DockerNetworkCliTest {

    private NetnsDockerFixture f;
    private DockerCli docker;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        f = NetnsDockerFixture.start("dnet");
        docker = f.docker();
    }

    @AfterAll
    void stop() throws IOException {
        if (f != null) {
            f.close();
        }
    }

    @AfterEach
    void removeContainersAndNetworks() {
        List<String> problems = new ArrayList<>();
        for (String id : lines(docker.run("ps", "-a", "-q").stdout())) {
            CliResult rm = docker.run("rm", "-f", id);
            if (!rm.succeeded()) {
                problems.add(rm.toString());
            }
        }
        for (String n : lines(docker.run("network", "ls", "-q", "--filter", "type=custom").stdout())) {
            CliResult rm = docker.run("network", "rm", n);
            if (!rm.succeeded()) {
                problems.add(rm.toString());
            }
        }
        String veths = f.inNetns("ip", "-o", "link", "show", "type", "veth");
        if (!veths.isBlank()) {
            problems.add("leftover veths: " + veths);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("clean-up:\n" + String.join("\n", problems));
        }
    }

    @Test
    void create_keepsDockersOptions_andLsInspectAndRmSeeIt() {
        String id = docker.run("network", "create", "--driver", "bridge", "--subnet", "10.201.0.0/16", "--gateway",
                "10.201.0.254", "--ip-range", "10.201.1.0/24", "--internal", "--attachable", "--label", "tier=back",
                "-o", "com.docker.network.driver.mtu=1400", "-o", "com.example.note=kept as given", "dnet-a")
                .assertSuccess().stdout().strip();
        assertEquals(64, id.length(), id);
        assertEquals(List.of("dnet-a"), lines(docker.run("network", "ls", "--format", "{{.Name}}", "--filter",
                "label=tier=back").assertSuccess().stdout()));
        assertEquals(List.of("dnet-a"), lines(docker.run("network", "ls", "--format", "{{.Name}}", "--filter",
                "type=custom").assertSuccess().stdout()));
        assertEquals(List.of("bridge", "host", "none"), lines(docker.run("network", "ls", "--format", "{{.Name}}",
                "--filter", "type=builtin").assertSuccess().stdout()).stream().sorted().toList());
        assertEquals(List.of(id.substring(0, 12)), lines(docker.run("network", "ls", "-q", "--filter",
                "id=" + id.substring(0, 8)).assertSuccess().stdout()));
        assertEquals("bridge true true 10.201.0.0/16 10.201.0.254 10.201.1.0/24 "
                        + "{\"com.docker.network.driver.mtu\":\"1400\",\"com.example.note\":\"kept as given\"} "
                        + "{\"tier\":\"back\"}",
                docker.run("network", "inspect", "-f", "{{.Driver}} {{.Internal}} {{.Attachable}} "
                        + "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}} {{json .Options}} "
                        + "{{json .Labels}}", "dnet-a").assertSuccess().stdout().strip());

        CliResult again = docker.run("network", "create", "dnet-a").assertFailure();
        assertTrue(again.stderr().contains("network with name dnet-a already exists"), again.toString());
        CliResult other = docker.run("network", "create", "--driver", "macvlan", "dnet-m").assertFailure();
        assertTrue(other.stderr().contains("macvlan"), other.toString());

        docker.run("network", "rm", "dnet-a").assertSuccess();
        CliResult gone = docker.run("network", "inspect", "dnet-a").assertFailure();
        assertTrue(gone.stderr().contains("No such network: dnet-a"), gone.toString());
    }

    @Test
    void builtIns_areListed_andCannotBeRemoved() {
        assertEquals("bridge host null", String.join(" ", lines(docker.run("network", "ls", "--format",
                "{{.Driver}}", "--filter", "type=builtin").assertSuccess().stdout()).stream().sorted().toList()));
        CliResult rm = docker.run("network", "rm", "bridge").assertFailure();
        assertTrue(rm.stderr().contains("bridge is a pre-defined network and cannot be removed"), rm.toString());
    }

    @Test
    void containersOnAUserNetwork_reachEachOtherByNameAndAlias() {
        docker.run("network", "create", "dnet-app").assertSuccess();
        docker.run("run", "-d", "--name", "dnet-srv", "--network", "dnet-app", "--network-alias", "webby", "busybox",
                "sh", "-c", "echo hello-from-srv > /tmp/index.html && exec httpd -f -p 80 -h /tmp").assertSuccess();
        CliResult client = docker.run("run", "--rm", "--network", "dnet-app", "busybox", "sh", "-c",
                "nslookup webby && wget -q -O - http://dnet-srv/ && wget -q -O - http://webby/").assertSuccess();
        String srvIp = docker.run("inspect", "-f", "{{(index .NetworkSettings.Networks \"dnet-app\").IPAddress}}",
                "dnet-srv").assertSuccess().stdout().strip();
        assertTrue(client.stdout().contains("Address: " + srvIp), client.toString());
        assertEquals(2, client.stdout().split("hello-from-srv", -1).length - 1, client.toString());

        String containers = docker.run("network", "inspect", "-f",
                "{{range $id, $c := .Containers}}{{$c.Name}} {{$c.IPv4Address}} {{len $c.EndpointID}} "
                        + "{{len $c.MacAddress}}{{end}}", "dnet-app").assertSuccess().stdout().strip();
        assertTrue(containers.matches("dnet-srv " + srvIp.replace(".", "\\.") + "/\\d+ 64 17"), containers);

        CliResult busy = docker.run("network", "rm", "dnet-app").assertFailure();
        assertTrue(busy.stderr().contains("has active endpoints"), busy.toString());
        docker.run("rm", "-f", "dnet-srv").assertSuccess();
        docker.run("network", "rm", "dnet-app").assertSuccess();
    }

    @Test
    void connect_aCreatedContainer_withAliasAndAddress_takesEffectAtStart_andDisconnectDetaches() {
        docker.run("network", "create", "--subnet", "10.202.0.0/24", "dnet-c").assertSuccess();
        docker.run("create", "--name", "dnet-late", "busybox", "sh", "-c",
                "ip -4 -o addr show; nslookup late-alias; exec sleep 300").assertSuccess();
        docker.run("network", "connect", "--alias", "late-alias", "--ip", "10.202.0.50", "dnet-c", "dnet-late")
                .assertSuccess();
        assertEquals("bridge: [] dnet-c: [late-alias] 10.202.0.50", docker.run("inspect", "-f",
                "{{range $n, $e := .NetworkSettings.Networks}}{{$n}}: {{$e.Aliases}}{{with $e.IPAMConfig}} "
                        + "{{.IPv4Address}}{{end}} {{end}}", "dnet-late").assertSuccess().stdout().strip(),
                "a created container lists the networks it will join");
        docker.run("start", "dnet-late").assertSuccess();
        String logs = awaitLogs("dnet-late", "Address: 10.202.0.50");
        assertTrue(logs.contains("inet 10.202.0.50/24"), logs);
        assertTrue(docker.run("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", "dnet-c")
                .assertSuccess().stdout().contains("dnet-late"));

        docker.run("network", "disconnect", "dnet-c", "dnet-late").assertSuccess();
        assertEquals("", docker.run("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", "dnet-c")
                .assertSuccess().stdout().strip());
        assertFalse(docker.run("exec", "dnet-late", "ip", "-4", "-o", "addr", "show").assertSuccess().stdout()
                .contains("10.202.0."), "the address went with the disconnect");

        docker.run("network", "connect", "dnet-c", "dnet-late").assertSuccess();
        assertTrue(docker.run("exec", "dnet-late", "ip", "-4", "-o", "addr", "show").assertSuccess().stdout()
                .contains("inet 10.202.0."), "a running container is attached at once");
        docker.run("network", "disconnect", "--force", "dnet-c", "dnet-late").assertSuccess();
    }

    @Test
    void createdContainer_disconnectedFromItsNetwork_canBeConnectedAgain() {
        docker.run("network", "create", "dnet-d").assertSuccess();
        docker.run("create", "--name", "dnet-again", "--network", "dnet-d", "--network-alias", "first", "busybox",
                "sleep", "300").assertSuccess();
        assertEquals("dnet-d [first]", docker.run("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}"
                + "{{$n}} {{$e.Aliases}}{{end}}", "dnet-again").assertSuccess().stdout().strip());
        // what compose does before it starts a container: disconnect, connect with the aliases it wants
        docker.run("network", "disconnect", "dnet-d", "dnet-again").assertSuccess();
        docker.run("network", "connect", "--alias", "second", "dnet-d", "dnet-again").assertSuccess();
        docker.run("start", "dnet-again").assertSuccess();
        String aliases = docker.run("inspect", "-f", "{{(index .NetworkSettings.Networks \"dnet-d\").Aliases}} "
                + "{{(index .NetworkSettings.Networks \"dnet-d\").IPAddress}}", "dnet-again").assertSuccess().stdout();
        assertTrue(aliases.startsWith("[second "), aliases);
        assertTrue(aliases.strip().matches(".* 172\\.\\d+\\.0\\.\\d+"), aliases);
    }

    @Test
    void prune_removesOnlyUnusedUserNetworks() {
        docker.run("network", "create", "dnet-unused").assertSuccess();
        docker.run("network", "create", "dnet-used").assertSuccess();
        docker.run("run", "-d", "--name", "dnet-user", "--network", "dnet-used", "busybox", "sleep", "300")
                .assertSuccess();
        CliResult prune = docker.run("network", "prune", "-f").assertSuccess();
        assertTrue(prune.stdout().contains("dnet-unused"), prune.toString());
        assertFalse(prune.stdout().contains("dnet-used"), prune.toString());
        assertEquals(List.of("bridge", "dnet-used", "host", "none"), lines(docker.run("network", "ls", "--format",
                "{{.Name}}").assertSuccess().stdout()).stream().sorted().toList());
    }

    private String awaitLogs(String container, String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String out = "";
        while (System.nanoTime() < deadline) {
            out = docker.run("logs", container).output();
            if (out.contains(expected)) {
                return out;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("no '" + expected + "' in the logs of " + container + ": " + out);
    }

    private static List<String> lines(String out) {
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
