package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.berth.sys.LinuxSyscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A private network namespace without an uplink ({@code ip netns add berth-it-<random>}) and one platform thread
 * that joined it: the code under test runs there, so its bridges, veths, iptables rules and {@code ip_forward}
 * exist only in this namespace, and what it spawns (the CNI plugins, iptables) starts there too. The mount
 * namespace stays shared. Closing deletes the namespace and checks it is gone.
 */
final class PrivateNetns implements AutoCloseable {

    /** A callable that may throw anything checked. */
    interface Work<T> {
        T call() throws Exception;
    }

    private final String name;
    private final ExecutorService thread;

    private PrivateNetns(String name, ExecutorService thread) {
        this.name = name;
        this.thread = thread;
    }

    static PrivateNetns create(LinuxSyscalls sys) throws Exception {
        byte[] b = new byte[4];
        new java.security.SecureRandom().nextBytes(b);
        String name = "berth-it-" + HexFormat.of().formatHex(b);
        run(List.of("ip", "netns", "add", name));
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("netns-" + name).unstarted(r));
        PrivateNetns netns = new PrivateNetns(name, thread);
        try {
            netns.call(() -> {
                sys.joinNetns("/run/netns/" + name);
                run(List.of("ip", "link", "set", "lo", "up"));
                return null;
            });
            return netns;
        } catch (Exception e) {
            netns.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    String path() {
        return "/run/netns/" + name;
    }

    /** Runs {@code work} on the thread inside the namespace; its exception is rethrown as it was. */
    <T> T call(Work<T> work) throws Exception {
        Callable<T> c = work::call;
        try {
            return thread.submit(c).get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Runs a command inside the namespace (from its thread); its output, or an IOException if it failed. */
    String exec(String... argv) throws Exception {
        return call(() -> run(List.of(argv)));
    }

    /** Runs a command in the caller's namespace; its output, or an IOException if it failed. */
    static String run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
        List<String> failures = new ArrayList<>();
        try {
            run(List.of("ip", "netns", "del", name));
        } catch (IOException e) {
            failures.add(e.getMessage());
        }
        assertFalse(run(List.of("ip", "netns", "list")).contains(name), "leftover netns " + name);
        if (!failures.isEmpty()) {
            throw new IOException(String.join("; ", failures));
        }
    }
}
