package dev.berth.it.support;

import dev.berth.sys.NetnsSyscalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /} on an address of a named network namespace (a private berthd's, where its published ports are),
 * from a platform thread that joins it ({@code setns} affects only the calling thread), retried for 10 s while
 * the server starts.
 */
public final class NetnsHttp {

    private NetnsHttp() {
    }

    /** The whole answer (head and body) of {@code GET /} on {@code 127.0.0.1:port} in {@code /run/netns/netns}. */
    public static String get(NetnsSyscalls sys, String netns, int port)
            throws InterruptedException, ExecutionException, TimeoutException {
        return get(sys, netns, "127.0.0.1", port);
    }

    /** The whole answer of {@code GET /} on {@code host:port} in {@code /run/netns/netns}. */
    public static String get(NetnsSyscalls sys, String netns, String host, int port)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                sys.joinNetns("/run/netns/" + netns);
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
}
