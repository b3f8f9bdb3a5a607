package dev.berth.manager.network.cni;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One invocation's runtime side (libcni's {@code RuntimeConf}): the container id, the netns path, the interface
 * name, the {@code CNI_ARGS} pairs and the capability arguments ({@code portMappings}, {@code ips}) that go into
 * the {@code runtimeConfig} of each plugin declaring the capability.
 */
public record RuntimeConf(String containerId, String netns, String ifName, List<List<String>> args,
                          Map<String, Object> capabilityArgs) {
    public RuntimeConf {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(ifName, "ifName");
        args = List.copyOf(args);
        capabilityArgs = Map.copyOf(capabilityArgs);
    }

    /** {@code CNI_ARGS}: {@code K=V;K2=V2}. */
    String cniArgs() {
        StringBuilder out = new StringBuilder();
        for (List<String> pair : args) {
            if (!out.isEmpty()) {
                out.append(';');
            }
            out.append(pair.get(0)).append('=').append(pair.get(1));
        }
        return out.toString();
    }
}
