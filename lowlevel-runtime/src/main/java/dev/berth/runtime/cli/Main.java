package dev.berth.runtime.cli;

/** The berth-runtime command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("aot-training")) {
            return;
        }
        System.err.println("berth-runtime: not built yet");
        System.exit(1);
    }
}
