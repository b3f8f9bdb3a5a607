package dev.berth.cli.terminal;

import java.util.List;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/** docker's {@code --sig-proxy}: SIGINT, SIGTERM and SIGHUP sent to the CLI go to the container's process. */
public final class SignalProxy {
    private SignalProxy() {
    }

    public static void forwardTo(IntConsumer kill) {
        for (String name : List.of("INT", "TERM", "HUP")) {
            Signal.handle(new Signal(name), s -> kill.accept(s.getNumber()));
        }
    }
}
