package dev.berth.manager.engine;

/** The stream a container or exec process wrote to (with a terminal, everything is stdout). */
public enum OutputStreamKind {
    STDOUT, STDERR;

    String word() {
        return this == STDOUT ? "stdout" : "stderr";
    }
}
