package dev.berth.cli.command;

import dev.berth.client.Berth;
import java.util.Map;

/** What every command gets from the global options. */
public interface Session {
    String address();

    String namespace();

    /** The CLI's own environment, which {@code run -e K} takes K's value from; read once by Main. */
    Map<String, String> environment();

    /** A client bound to {@link #namespace()}; the command closes it. */
    Berth connect();
}
