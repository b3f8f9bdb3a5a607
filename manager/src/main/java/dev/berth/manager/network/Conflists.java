package dev.berth.manager.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.manager.network.cni.ConfList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The CNI configuration lists of the bridge networks, generated from their records into
 * {@code <root>/net.d/<name>.conflist} (spec 1.0.0, readable by standard CNI tools):
 * <pre>
 * bridge     device, isGateway (isDefaultGateway unless internal), ipMasq = the network's option AND berthd's
 *            switch, hairpinMode, mtu; capability "ips" (--ip)
 *   ipam     host-local, dataDir under berthd's root, one range (the ip-range or the subnet) with the gateway
 * portmap    snat (127.0.0.1 and hairpin), capability "portMappings"
 * firewall   iptables backend: accepts the container's replies under a FORWARD policy of DROP
 * tuning     only with an mtu option: the container side's MTU
 * </pre>
 * The loopback of a container is up from the creation of its netns ({@code NetnsSyscalls.createNetns}).
 */
final class Conflists {

    static final String CNI_VERSION = "1.0.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetworkOptions options;

    Conflists(NetworkOptions options) {
        this.options = options;
    }

    Path path(String networkName) {
        return options.confDir().resolve(networkName + ".conflist");
    }

    /** The list of a bridge network. */
    ConfList of(BridgeNetwork net) {
        ObjectNode root = JSON.createObjectNode();
        root.put("cniVersion", CNI_VERSION);
        root.put("name", net.doc().name());
        ArrayNode plugins = root.putArray("plugins");
        ObjectNode bridge = plugins.addObject();
        bridge.put("type", "bridge");
        bridge.put("bridge", net.device());
        bridge.put("isGateway", true);
        if (!Boolean.TRUE.equals(net.doc().internal())) {
            bridge.put("isDefaultGateway", true);
        }
        bridge.put("ipMasq", net.masqueradeOption() && options.masquerade());
        bridge.put("hairpinMode", true);
        net.mtu().ifPresent(mtu -> bridge.put("mtu", mtu));
        bridge.putObject("capabilities").put("ips", true);
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "host-local");
        ipam.put("dataDir", options.ipamDir().toString());
        ObjectNode range = ipam.putArray("ranges").addArray().addObject();
        range.put("subnet", net.subnet().toString());
        range.put("gateway", Subnet.format(net.gateway()));
        net.ipRange().ifPresent(r -> {
            range.put("rangeStart", Subnet.format(Math.max(r.host(1), net.subnet().host(1))));
            range.put("rangeEnd", Subnet.format(Math.min(r.last() - (r.prefix() < 31 ? 1 : 0),
                    net.subnet().last() - 1)));
        });
        ObjectNode portmap = plugins.addObject();
        portmap.put("type", "portmap");
        portmap.put("snat", true);
        portmap.putObject("capabilities").put("portMappings", true);
        ObjectNode firewall = plugins.addObject();
        firewall.put("type", "firewall");
        firewall.put("backend", "iptables");
        net.mtu().ifPresent(mtu -> {
            ObjectNode tuning = plugins.addObject();
            tuning.put("type", "tuning");
            tuning.put("mtu", mtu);
        });
        return bytes(root);
    }

    /** Writes the list of {@code net} atomically and returns it. */
    ConfList write(BridgeNetwork net) throws IOException {
        ConfList list = of(net);
        Files.createDirectories(options.confDir());
        Path target = path(net.doc().name());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, list.bytes());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return list;
    }

    void remove(String networkName) throws IOException {
        Files.deleteIfExists(path(networkName));
    }

    private static ConfList bytes(ObjectNode root) {
        try {
            return ConfList.parse(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("write cni configuration list", e);
        }
    }
}
