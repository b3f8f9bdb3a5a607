package dev.berth.cli.flags;

import dev.berth.model.PortBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -p [ip:][hostPort:]containerPort[/proto]} (ranges as {@code 8000-8001:80-81}) and {@code --expose}:
 * docker's {@code ExposedPorts} and {@code PortBindings}, keyed {@code 80/tcp}.
 */
record Ports(Map<String, Map<String, Object>> exposed, Map<String, List<PortBinding>> bindings) {

    static Ports parse(List<String> publish, List<String> expose) {
        Map<String, Map<String, Object>> exposed = new LinkedHashMap<>();
        Map<String, List<PortBinding>> bindings = new LinkedHashMap<>();
        for (String p : publish) {
            String spec = p;
            String proto = "tcp";
            int slash = spec.lastIndexOf('/');
            if (slash >= 0) {
                proto = spec.substring(slash + 1);
                spec = spec.substring(0, slash);
            }
            if (!List.of("tcp", "udp", "sctp").contains(proto)) {
                throw Units.invalid("-p, --publish", p, "invalid proto: " + proto);
            }
            String ip = "";
            if (spec.startsWith("[")) {
                int close = spec.indexOf(']');
                ip = spec.substring(1, close);
                spec = spec.substring(close + 2);
            }
            String[] parts = spec.split(":");
            String hostPart;
            String containerPart;
            switch (parts.length) {
                case 1 -> {
                    hostPart = "";
                    containerPart = parts[0];
                }
                case 2 -> {
                    hostPart = parts[0];
                    containerPart = parts[1];
                }
                case 3 -> {
                    ip = parts[0];
                    hostPart = parts[1];
                    containerPart = parts[2];
                }
                default -> throw Units.invalid("-p, --publish", p, "invalid port format: " + p);
            }
            int[] container = range("-p, --publish", p, containerPart);
            int[] host = hostPart.isEmpty() ? null : range("-p, --publish", p, hostPart);
            int count = container[1] - container[0] + 1;
            if (host != null && host[1] - host[0] + 1 != count && host[0] != host[1]) {
                throw Units.invalid("-p, --publish", p, "invalid ranges specified for container and host Ports: "
                        + containerPart + " and " + hostPart);
            }
            for (int i = 0; i < count; i++) {
                String key = (container[0] + i) + "/" + proto;
                exposed.put(key, Map.of());
                String hostPort = host == null ? "" : host[0] == host[1] ? String.valueOf(host[0])
                        : String.valueOf(host[0] + i);
                bindings.computeIfAbsent(key, k -> new ArrayList<>()).add(new PortBinding(ip, hostPort));
            }
        }
        for (String e : expose) {
            String spec = e.contains("/") ? e.substring(0, e.indexOf('/')) : e;
            String proto = e.contains("/") ? e.substring(e.indexOf('/') + 1) : "tcp";
            int[] r = range("--expose", e, spec);
            for (int port = r[0]; port <= r[1]; port++) {
                exposed.put(port + "/" + proto, Map.of());
            }
        }
        return new Ports(exposed, bindings);
    }

    private static int[] range(String flag, String whole, String s) {
        try {
            int dash = s.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? s : s.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(s.substring(dash + 1));
            if (lo < 1 || hi > 65535 || hi < lo) {
                throw Units.invalid(flag, whole, "invalid port: " + s);
            }
            return new int[] {lo, hi};
        } catch (NumberFormatException e) {
            throw Units.invalid(flag, whole, "invalid containerPort: " + s);
        }
    }
}
