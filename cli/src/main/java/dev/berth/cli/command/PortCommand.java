package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.Berth;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth port CONTAINER [PRIVATE_PORT[/PROTO]]}: the published ports, {@code 80/tcp -> 0.0.0.0:8080}. */
@Command(name = "port")
public final class PortCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;
    @Parameters(index = "1", arity = "0..1", paramLabel = "PRIVATE_PORT[/PROTO]")
    String port;

    @Override
    int run(Berth berth) {
        JsonNode ports = berth.containers().port(ref);
        if (port != null) {
            String key = port.contains("/") ? port : port + "/tcp";
            JsonNode bindings = ports.path(key);
            if (!bindings.isArray() || bindings.isEmpty()) {
                err.println("Error: No public port '" + key + "' published for " + ref);
                return 1;
            }
            bindings.forEach(b -> out.println(address(b)));
            return 0;
        }
        for (Map.Entry<String, JsonNode> e : ports.properties()) {
            e.getValue().forEach(b -> out.println(e.getKey() + " -> " + address(b)));
        }
        out.flush();
        return 0;
    }

    private static String address(JsonNode binding) {
        String ip = binding.path("HostIp").asText("");
        return (ip.isEmpty() ? "0.0.0.0" : ip.contains(":") ? "[" + ip + "]" : ip) + ":"
                + binding.path("HostPort").asText();
    }
}
