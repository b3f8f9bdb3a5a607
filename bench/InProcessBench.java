import dev.berth.runtime.cgroup.CgroupHost;
import dev.berth.runtime.container.Container;
import dev.berth.runtime.container.CreateOptions;
import dev.berth.runtime.container.OciRuntime;
import dev.berth.sys.LinuxSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * berth-runtime used as a library (as berth-shim does): one JVM, a few warm-up rounds, then per-round wall times
 * of create, start and delete of a container whose process exits by itself (busybox {@code true}).
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -Dberth.syscall.lib=sys/target/libberth-syscall.so
 * -cp berth-runtime.jar:lib/* bench/InProcessBench.java INIT BUNDLE ROOT ID_PREFIX WARMUP ROUNDS}
 *
 * <p>Output: {@code init_ns <ns>} (constructing the syscalls binding and the runtime, once per JVM),
 * {@code first_round_ns <create+start+delete>} (the cold first round), one line per measured round
 * {@code round <i> <create_ns> <start_ns> <delete_ns>}, then {@code vmhwm_kb <peak RSS of this JVM>}. The time
 * spent waiting for the process to exit is not counted.
 */
public final class InProcessBench {
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: InProcessBench INIT BUNDLE ROOT ID_PREFIX WARMUP ROUNDS");
            System.exit(2);
        }
        Path init = Path.of(args[0]);
        Path bundle = Path.of(args[1]);
        Path root = Path.of(args[2]);
        String prefix = args[3];
        int warmup = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);

        long t = System.nanoTime();
        // loads the JNI library
        LinuxSyscalls sys = LinuxSyscalls.load(Path.of(System.getProperty("berth.syscall.lib")));
        OciRuntime rt = new OciRuntime(sys, init, CgroupHost.system(), root, System.err::println);
        System.out.println("init_ns " + (System.nanoTime() - t));
        for (int i = 0; i < warmup + rounds; i++) {
            String id = prefix + "-" + i;
            long t0 = System.nanoTime();
            Container c = rt.create(id, bundle, CreateOptions.defaults());
            long t1 = System.nanoTime();
            c.start();
            long t2 = System.nanoTime();
            // The process is our child (CLONE_PARENT): wait for /bin/true to exit and reap it (not timed).
            sys.waitpid(c.pid(), false);
            long t3 = System.nanoTime();
            c.delete(true);
            long t4 = System.nanoTime();
            if (i == 0) {
                System.out.println("first_round_ns " + ((t1 - t0) + (t2 - t1) + (t4 - t3)));
            }
            if (i >= warmup) {
                System.out.println("round " + (i - warmup) + " " + (t1 - t0) + " " + (t2 - t1) + " " + (t4 - t3));
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                System.out.println("vmhwm_kb " + line.replaceAll("[^0-9]", ""));
            }
        }
    }
}
