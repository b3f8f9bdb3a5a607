package dev.berth.api.ttrpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Not a test: a microbenchmark of the ttrpc round trip, a TtrpcClient calling a TtrpcServer over a real unix socket
 * in one JVM, sequential tiny calls, printing the median and p90 per call. Run from api-proto with the test
 * classpath: {@code java -cp target/classes:target/test-classes:<log>:<protobuf> dev.berth.api.ttrpc.RoundTripBench
 * [calls [connections]]}; it reports for a platform caller thread and for a virtual one (berthd's callers are
 * both), then the resident memory that {@code connections} more connections (one call each) add to the process,
 * client and server side together.
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
            int connections = args.length > 1 ? Integer.parseInt(args[1]) : 50;
            long rssBefore = residentKb();
            List<TtrpcClient> more = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                more.add(TtrpcClient.connect(socket));
                more.get(i).call(SERVICE, "Echo", new byte[16], Metadata.empty(), Duration.ofSeconds(10));
            }
            System.out.println(connections + " more connections: +" + (residentKb() - rssBefore) + " KB resident");
            for (TtrpcClient c : more) {
                c.close();
            }
        } finally {
            server.shutdown(Duration.ofSeconds(1));
            Files.deleteIfExists(dir);
        }
    }

    private static long residentKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElseThrow();
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
