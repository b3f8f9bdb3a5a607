package dev.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.DockerJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code berth ps}'s PORTS and NETWORKS columns from the list document, as docker 20.10 prints them. */
class PsCommandTest {

    private static JsonNode json(String text) throws Exception {
        return DockerJson.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void ports_publishedOnLoopback() throws Exception {
        assertEquals("127.0.0.1:18080->80/tcp", PsCommand.ports(json(
                "[{'IP':'127.0.0.1','PrivatePort':80,'PublicPort':18080,'Type':'tcp'}]")));
    }

    @Test
    void ports_onEveryAddressOfBothFamilies_v4First() throws Exception {
        assertEquals("0.0.0.0:49153->80/tcp, :::49153->80/tcp", PsCommand.ports(json(
                "[{'IP':'::','PrivatePort':80,'PublicPort':49153,'Type':'tcp'},"
                        + "{'IP':'0.0.0.0','PrivatePort':80,'PublicPort':49153,'Type':'tcp'}]")));
    }

    @Test
    void ports_samePortsAreGroupedIntoRanges_mappingsLast() throws Exception {
        assertEquals("53/udp, 443/tcp, 0.0.0.0:8000-8001->8000-8001/tcp, 0.0.0.0:18080->80/tcp",
                PsCommand.ports(json("[{'IP':'0.0.0.0','PrivatePort':80,'PublicPort':18080,'Type':'tcp'},"
                        + "{'IP':'0.0.0.0','PrivatePort':8001,'PublicPort':8001,'Type':'tcp'},"
                        + "{'PrivatePort':443,'Type':'tcp'},{'PrivatePort':53,'Type':'udp'},"
                        + "{'IP':'0.0.0.0','PrivatePort':8000,'PublicPort':8000,'Type':'tcp'}]")));
    }

    @Test
    void row_networksAndPorts_forFormat() throws Exception {
        JsonNode c = json("{'Id':'" + "a".repeat(64) + "','Names':['/web'],'Command':'httpd','Created':0,"
                + "'Ports':[{'IP':'127.0.0.1','PrivatePort':80,'PublicPort':18080,'Type':'tcp'}],"
                + "'NetworkSettings':{'Networks':{'front':{},'back':{}}}}");
        var row = PsCommand.row(c, Instant.now(), false);
        assertEquals("front,back", row.get("Networks"));
        assertEquals("127.0.0.1:18080->80/tcp", row.get("Ports"));
    }
}
