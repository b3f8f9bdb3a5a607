package dev.berth.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code -p/--publish} syntax ({@code [hostIp:[hostPort]:]containerPort[/proto]}, ports or equal-sized
 * ranges, IPv6 host addresses in brackets) into {@code HostConfig.PortBindings} and {@code ExposedPorts} keys
 * ({@code "80/tcp"}); a missing host port is "" (berthd chooses a free one). Bad input is an
 * IllegalArgumentException in docker's words.
 */
public final class PortSpecs {

    private PortSpecs() {
    }

    /** Adds the bindings of {@code spec} to {@code into} (several {@code -p} for one port accumulate). */
    public static void parse(String spec, Map<String, List<PortBinding>> into) {
        String rest = spec;
        String proto = "tcp";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            proto = rest.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
            rest = rest.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
                throw new IllegalArgumentException("invalid proto: " + proto);
            }
        }
        String hostIp = "";
        if (rest.startsWith("[")) {
            int close = rest.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("invalid IP address in " + spec);
            }
            hostIp = rest.substring(1, close);
            rest = rest.substring(close + 2);
        }
        String[] parts = rest.split(":", -1);
        String hostPort;
        String containerPort;
        switch (parts.length) {
            case 1 -> {
                hostPort = "";
                containerPort = parts[0];
            }
            case 2 -> {
                hostPort = parts[0];
                containerPort = parts[1];
            }
            case 3 -> {
                if (!hostIp.isEmpty()) {
                    throw new IllegalArgumentException("invalid port format for --publish: " + spec);
                }
                hostIp = parts[0];
                hostPort = parts[1];
                containerPort = parts[2];
            }
            default -> throw new IllegalArgumentException("invalid port format for --publish: " + spec);
        }
        if (!hostIp.isEmpty() && !hostIp.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("invalid IP address: " + hostIp);
        }
        int[] container = range(containerPort, "containerPort");
        int[] host = hostPort.isEmpty() ? null : range(hostPort, "hostPort");
        int count = container[1] - container[0] + 1;
        if (host != null && host[1] - host[0] + 1 != count && !(host[0] != host[1] && count == 1)) {
            throw new IllegalArgumentException("invalid ranges specified for container and host Ports: "
                    + containerPort + " and " + hostPort);
        }
        for (int i = 0; i < count; i++) {
            String h = host == null ? "" : count == 1 && host[0] != host[1] ? host[0] + "-" + host[1]
                    : Integer.toString(host[0] + i);
            into.computeIfAbsent((container[0] + i) + "/" + proto, k -> new ArrayList<>())
                    .add(new PortBinding(hostIp, h));
        }
    }

    /** Every {@code -p} of a run, in order. */
    public static Map<String, List<PortBinding>> parseAll(List<String> specs) {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        specs.forEach(s -> parse(s, out));
        return out;
    }

    private static int[] range(String text, String what) {
        int dash = text.indexOf('-');
        int first = port(dash < 0 ? text : text.substring(0, dash), what, text);
        int last = dash < 0 ? first : port(text.substring(dash + 1), what, text);
        if (last < first) {
            throw new IllegalArgumentException("invalid range specified for " + what + ": " + text);
        }
        return new int[] {first, last};
    }

    private static int port(String text, String what, String whole) {
        try {
            int p = Integer.parseInt(text);
            if (p >= (what.equals("hostPort") ? 0 : 1) && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid " + what + ": " + whole);
    }
}
