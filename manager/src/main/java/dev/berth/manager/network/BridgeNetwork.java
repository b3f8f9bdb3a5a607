package dev.berth.manager.network;

import dev.berth.model.Network;
import java.util.Map;
import java.util.Optional;

/**
 * What Berth reads from a bridge network's document: its device, subnet, gateway, allocation range, MTU and
 * whether it masquerades (the network's option, docker's spelling or Berth's, default on; berthd's switch can
 * still turn it off).
 */
record BridgeNetwork(Network doc, String device, Subnet subnet, int gateway, Optional<Subnet> ipRange,
                     Optional<Integer> mtu, boolean masqueradeOption) {

    static final String OPT_BRIDGE_NAME = "com.docker.network.bridge.name";
    static final String OPT_MASQUERADE = "com.docker.network.bridge.enable_ip_masquerade";
    static final String OPT_MTU = "com.docker.network.driver.mtu";
    static final String BERTH_MASQUERADE = "masquerade";
    static final String BERTH_MTU = "mtu";

    /** Reads a stored bridge network's document (validated when it was created). */
    static BridgeNetwork of(Network doc) {
        Network.IpamConfig cfg = doc.ipam().config().get(0);
        Subnet subnet = Subnet.parse(cfg.subnet(), "subnet");
        Map<String, String> opts = doc.options() == null ? Map.of() : doc.options();
        String device = opts.getOrDefault(OPT_BRIDGE_NAME, "br-" + doc.id().substring(0, 12));
        Optional<Integer> mtu = Optional.ofNullable(opts.getOrDefault(BERTH_MTU, opts.get(OPT_MTU)))
                .map(Integer::parseInt);
        String masq = opts.getOrDefault(BERTH_MASQUERADE, opts.getOrDefault(OPT_MASQUERADE, "true"));
        return new BridgeNetwork(doc, device, subnet, Subnet.address(cfg.gateway(), "gateway"),
                Optional.ofNullable(cfg.ipRange()).filter(r -> !r.isEmpty()).map(r -> Subnet.parse(r, "ip-range")),
                mtu, Boolean.parseBoolean(masq) && !Boolean.TRUE.equals(doc.internal()));
    }

    /** The prefix length containers get. */
    int prefix() {
        return subnet.prefix();
    }
}
