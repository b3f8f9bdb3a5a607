package dev.berth.it.engine;

import dev.berth.it.support.CommandLine;
import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A network namespace without uplink for a networking test's berthd ({@code ip netns add}, lo up), with what the
 * tests do in it: run a command there, fetch {@code GET /} from a thread that joined it, and list what a berthd under
 * a fixture directory could have leaked there (veths, netns mounts, CNI cache entries, host-local allocations, CNI
 * iptables rules). Closing deletes the namespace.
 */
final class PrivateNetwork implements AutoCloseable {
    private static final LinuxSyscalls SYS = LinuxSyscalls.loadBuilt();

    private final String name;
    private final Path scratch;
    private final CommandLine commands;

    private PrivateNetwork(String name, Path scratch) {
        this.name = name;
        this.scratch = scratch;
        this.commands = new CommandLine(scratch);
    }

    static PrivateNetwork create(String prefix) throws IOException {
        String suffix = HexFormat.of().formatHex(new byte[] {(byte) System.nanoTime(), (byte) (System.nanoTime() >> 8)});
        PrivateNetwork n = new PrivateNetwork(prefix + ProcessHandle.current().pid() + "-" + suffix,
                Files.createTempDirectory("berth-pn-"));
        n.run("ip", "netns", "add", n.name);
        n.run("ip", "netns", "exec", n.name, "ip", "link", "set", "lo", "up");
        return n;
    }

    String name() {
        return name;
    }

    /** Runs a command in the namespace; its stdout (the command must succeed). */
    String exec(String... argv) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + name));
        command.addAll(List.of(argv));
        return run(command.toArray(String[]::new));
    }

    String run(String... argv) {
        return commands.run(Duration.ofSeconds(60), List.of(argv)).assertSuccess().stdout();
    }

    /** GET / on {@code host:port} from a thread that joined the namespace; retried while the server starts. */
    String httpGet(String host, int port) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                SYS.joinNetns("/run/netns/" + name);
                IOException last = null;
                for (int i = 0; i < 100; i++) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(host, port), 2000);
                        s.setSoTimeout(5000);
                        s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        try (InputStream in = s.getInputStream()) {
                            answer.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                            return;
                        }
                    } catch (IOException e) {
                        last = e;
                        Thread.sleep(100);
                    }
                }
                answer.completeExceptionally(last);
            } catch (InterruptedException | RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer.get(60, TimeUnit.SECONDS);
    }

    /** What a berthd rooted at {@code dir} left of its containers' networking: empty when nothing. */
    String leftovers(Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(exec("ip", "-o", "link", "show", "type", "veth"));
        entries(dir.resolve("state/netns")).forEach(e -> out.append("netns ").append(e).append('\n'));
        entries(dir.resolve("root/cni-cache/results")).forEach(e -> out.append("cache ").append(e).append('\n'));
        Path ipam = dir.resolve("root/cni-ipam");
        if (Files.isDirectory(ipam)) {
            try (Stream<Path> files = Files.walk(ipam)) {
                files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                        .filter(f -> !f.startsWith("last_reserved_ip") && !f.equals("lock"))
                        .forEach(f -> out.append("ipam ").append(f).append('\n'));
            }
        }
        for (String line : exec("iptables-save", "-t", "nat").lines().toList()) {
            if (line.contains("CNI-DN-") || line.contains("id: ")) {
                out.append(line).append('\n');
            }
        }
        for (String line : exec("iptables", "-w", "-S").lines().toList()) {
            if (line.startsWith("-A CNI-FORWARD") && (line.contains(" -s ") || line.contains(" -d "))) {
                out.append(line).append('\n');
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (line.contains(dir + "/state/netns/")) {
                out.append("mount ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run("ip", "netns", "del", name);
        } finally {
            try (Stream<Path> walk = Files.walk(scratch)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
