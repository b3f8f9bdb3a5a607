package dev.berth.api.ttrpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Not a test: a microbenchmark of the ttrpc round trip, a TtrpcClient calling a TtrpcServer over a real unix socket
 * in one JVM, sequential tiny calls, printing the median and p90 per call. Run from api-proto with the test
 * classpath: {@code java -cp target/classes:target/test-classes:<log>:<protobuf> dev.berth.api.ttrpc.RoundTripBench
 * [calls]}; it reports for a platform caller thread and for a virtual one (berthd's callers are both).
 */
final class RoundTripBench {
    private static final String SERVICE = "berth.bench.v1.Echo";

    private RoundTripBench() {
    }

    public static void main(String[] args) throws IOException, InterruptedException, ExecutionException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("ttrpc-bench");
        Path socket = dir.resolve("bench.sock");
        TtrpcServer server = new TtrpcServer(
                TtrpcService.builder(SERVICE).method("Echo", (context, payload) -> payload).build());
        server.listen(socket);
        try (TtrpcClient client = TtrpcClient.connect(socket);
                ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            run(client, calls / 5); // warm-up
            System.out.println("platform caller: " + run(client, calls));
            System.out.println("virtual caller:  " + virtual.submit(() -> run(client, calls)).get());
        } finally {
            server.shutdown(Duration.ofSeconds(1));
            Files.deleteIfExists(dir);
        }
    }

    private static String run(TtrpcClient client, int calls) {
        byte[] payload = new byte[16];
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            client.call(SERVICE, "Echo", payload, Metadata.empty(), Duration.ofSeconds(10));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return String.format("%d calls, median %.1f us, p90 %.1f us", calls, nanos[calls / 2] / 1000.0,
                nanos[calls * 9 / 10] / 1000.0);
    }
}
