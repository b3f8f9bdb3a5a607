package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.EndpointSettings;
import dev.berth.model.NetworkCreate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The embedded DNS of a user network, asked from inside the containers' netns (busybox nslookup) and over TCP. */
class EmbeddedDnsTest extends NetworkFixture {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void userNetwork_namesAliasesAndShortIds_resolveAndUnknownNamesDoNotLeave() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("dnsnet")));
        Sandbox a = netns.call(() -> sandboxes.setUp("default", A, "alpha", new SandboxRequest("dnsnet",
                Map.of("dnsnet", EndpointSettings.request(List.of("web"), null)), Map.of())));
        Sandbox b = netns.call(() -> sandboxes.setUp("default", B, "beta", new SandboxRequest("dnsnet", Map.of(),
                Map.of())));
        String gateway = a.settings().networks().get("dnsnet").gateway();
        String ipA = a.settings().networks().get("dnsnet").ipAddress();
        String ipB = b.settings().networks().get("dnsnet").ipAddress();
        assertEquals(List.of(gateway), sandboxes.dnsServers("default", A));

        assertTrue(nslookup(a, "beta", gateway).contains(ipB));
        assertTrue(nslookup(b, "web", gateway).contains(ipA));
        assertTrue(nslookup(b, "ALPHA", gateway).contains(ipA));
        assertTrue(nslookup(a, "bbbbbbbbbbbb", gateway).contains(ipB));
        IOException unknown = assertThrows(IOException.class, () -> nslookup(a, "nope.example", gateway));
        assertTrue(unknown.getMessage().contains("NXDOMAIN"), unknown.getMessage());

        Message tcp = netns.call(() -> {
            SimpleResolver r = new SimpleResolver(new InetSocketAddress(gateway, 53));
            r.setTCP(true);
            r.setTimeout(Duration.ofSeconds(3));
            return r.send(Message.newQuery(Record.newRecord(Name.fromString("beta."), Type.A, DClass.IN)));
        });
        assertEquals(Rcode.NOERROR, tcp.getRcode());
        assertEquals(ipB, ((ARecord) tcp.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());

        netns.call(() -> {
            sandboxes.tearDown("default", B);
            return null;
        });
        assertThrows(IOException.class, () -> nslookup(a, "beta", gateway));
        netns.call(() -> {
            sandboxes.tearDown("default", A);
            return null;
        });
        assertEquals("", leftovers());
    }

    @Test
    void defaultBridge_hasNoEmbeddedDns() throws Exception {
        netns.call(() -> sandboxes.setUp("default", A, "alpha", new SandboxRequest("bridge", Map.of(), Map.of())));
        assertEquals(List.of(), sandboxes.dnsServers("default", A));
        assertFalse(netns.exec("ss", "-lnu").contains("172.17.0.1:53"));
        netns.call(() -> {
            sandboxes.tearDown("default", A);
            return null;
        });
    }

    private String nslookup(Sandbox in, String name, String server) throws Exception {
        return inContainer(in.netns().orElseThrow(), "busybox", "timeout", "5", "busybox", "nslookup", name,
                server);
    }
}
