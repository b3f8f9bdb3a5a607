package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.support.CliResult;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/berth network …}, {@code run --network/--network-alias/--ip/-p}, {@code ps}'s PORTS and NETWORKS,
 * {@code port} and {@code --network container:NAME}, against a berthd in a private network namespace without uplink
 * (its default bridge on; masquerade and upstream DNS off). Each test removes its containers and networks with the
 * CLI (the fixture's clean-up goes around the engine).
 */
class BerthCliNetworkTest extends BerthCliFixture {
    private String netns;
    private final String suffix = HexFormat.of().formatHex(new byte[] {(byte) System.nanoTime(),
            (byte) (System.nanoTime() >> 8)});

    @Override
    BerthdProcess.Options daemonOptions() throws IOException {
        netns = "berth-cn-" + ProcessHandle.current().pid() + "-" + suffix;
        host("ip", "netns", "add", netns);
        host("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up");
        return new BerthdProcess.Options(null, false, netns);
    }

    /** Runs before the fixture stops berthd: the name goes, the namespace ends with berthd. */
    @AfterAll
    void deleteNetns() {
        if (netns != null) {
            host("ip", "netns", "del", netns);
        }
    }

    private void host(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError(String.join(" ", argv) + ": " + out);
            }
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void networkVerbs_createLsInspectConnectDisconnectRm_withDockersOutput() throws IOException {
        String front = "front-" + suffix;
        String back = "back-" + suffix;
        String id = berth("network", "create", "--subnet", "10.231.7.0/24", "--gateway", "10.231.7.1", "--label",
                "tier=front", front).assertSuccess().stdout().strip();
        try {
            assertTrue(id.matches("[0-9a-f]{64}"), id);
            berth("network", "create", "--internal", "-o", "mtu=1400", back).assertSuccess();
            String ls = berth("network", "ls").assertSuccess().stdout();
            assertTrue(ls.startsWith("NETWORK ID     NAME"), ls);
            assertTrue(ls.contains(id.substring(0, 12) + "   " + front), ls);
            assertTrue(ls.lines().anyMatch(l -> l.matches("[0-9a-f]{12}   bridge +bridge +local")), ls);
            assertEquals(id.substring(0, 12), berth("network", "ls", "-q", "--filter", "name=" + front).assertSuccess()
                    .stdout().strip());
            assertEquals(id, berth("network", "ls", "-q", "--no-trunc", "--filter", "label=tier=front")
                    .assertSuccess().stdout().strip());
            assertEquals(back + " true", berth("network", "ls", "--filter", "name=" + back, "--format",
                    "{{.Name}} {{.Internal}}").assertSuccess().stdout().strip());
            String inspect = berth("network", "inspect", "-f", "{{.Name}} {{json .IPAM.Config}}", front)
                    .assertSuccess().stdout();
            assertTrue(inspect.contains(front + " [{\"Subnet\":\"10.231.7.0/24\""), inspect);
            CliResult missing = berth("network", "inspect", "nosuch-" + suffix);
            assertEquals(1, missing.exitCode());
            assertTrue(missing.stderr().contains("Error: No such network: nosuch-" + suffix), missing.stderr());

            berth("run", "-d", "--name", "srv", "--network", front, "--network-alias", "web", "--ip", "10.231.7.50",
                    "-p", "127.0.0.1:18090:80", busybox, "sh", "-c",
                    "echo served > /tmp/index.html && httpd -f -p 80 -h /tmp").assertSuccess();
            assertEquals("srv|127.0.0.1:18090->80/tcp|" + front, berth("ps", "--format",
                    "{{.Names}}|{{.Ports}}|{{.Networks}}").assertSuccess().stdout().strip());
            assertEquals("80/tcp -> 127.0.0.1:18090", berth("port", "srv").assertSuccess().stdout().strip());
            assertTrue(get(18090).contains("served"), "the published port answers");
            assertEquals("10.231.7.50", ipOn("srv", front));

            berth("network", "connect", "--alias", "srv2", back, "srv").assertSuccess();
            assertTrue(berth("ps", "--format", "{{.Networks}}").assertSuccess().stdout().contains(back));
            String sameNetns = berth("run", "--rm", "--network", "container:srv", busybox, "sh", "-c",
                    "ip -4 -o addr show; hostname").assertSuccess().stdout();
            assertTrue(sameNetns.contains("10.231.7.50/24"), sameNetns);
            CliResult busy = berth("network", "rm", front);
            assertEquals(1, busy.exitCode());
            assertTrue(busy.stderr().contains("Error response from daemon: ") && busy.stderr().contains(
                    "has active endpoints"), busy.stderr());
            berth("network", "disconnect", back, "srv").assertSuccess();
            assertTrue(!berth("ps", "--format", "{{.Networks}}").assertSuccess().stdout().contains(back));
        } finally {
            berth("rm", "-f", "srv");
            berth("network", "rm", front, back);
        }
        CliResult rm = berth("network", "rm", "bridge");
        assertEquals(1, rm.exitCode());
        assertTrue(rm.stderr().contains("bridge is a pre-defined network and cannot be removed"), rm.stderr());
        assertTrue(!berth("network", "ls", "-q", "--filter", "name=" + suffix).assertSuccess().stdout().contains(
                id.substring(0, 12)));
    }

    @Test
    void networkPrune_removesUnusedUserNetworksOnly() {
        String unused = "unused-" + suffix;
        berth("network", "create", unused).assertSuccess();
        String out = berth("network", "prune", "-f").assertSuccess().stdout();
        assertTrue(out.startsWith("Deleted Networks:\n"), out);
        assertTrue(out.lines().toList().contains(unused), out);
        List<String> left = lines(berth("network", "ls", "--format", "{{.Name}}").assertSuccess().stdout());
        assertTrue(left.containsAll(List.of("bridge", "host", "none")) && !left.contains(unused), left.toString());
    }

    private String ipOn(String container, String net) throws IOException {
        return new ObjectMapper().readTree(berth("inspect", "-f", "{{json .NetworkSettings.Networks}}", container)
                .assertSuccess().stdout()).path(net).path("IPAddress").asText();
    }

    /** GET / on 127.0.0.1:port inside berthd's namespace (python's urllib, retried while httpd starts). */
    private String get(int port) {
        return commandLine.run(CALL, List.of("nsenter", "--net=/run/netns/" + netns, "python3", "-c",
                "import time, urllib.request\n"
                        + "for i in range(50):\n"
                        + "    try:\n"
                        + "        print(urllib.request.urlopen('http://127.0.0.1:" + port + "/', timeout=5).read()"
                        + ".decode()); break\n"
                        + "    except OSError:\n"
                        + "        time.sleep(0.2)\n")).assertSuccess().stdout();
    }
}
