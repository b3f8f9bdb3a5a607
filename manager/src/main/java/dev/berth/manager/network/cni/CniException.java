package dev.berth.manager.network.cni;

/**
 * A CNI plugin that failed: its type, the command, and the spec's error ({@code code}, {@code msg},
 * {@code details}) or what it wrote otherwise. Callers turn it into their own error kind.
 */
public final class CniException extends RuntimeException {
    private final String plugin;
    private final int code;

    CniException(String plugin, String command, int code, String message) {
        super("cni plugin " + plugin + " failed (" + command + "): " + message);
        this.plugin = plugin;
        this.code = code;
    }

    /** The plugin's type. */
    public String plugin() {
        return plugin;
    }

    /** The spec's error code (0 when the plugin printed no error document). */
    public int code() {
        return code;
    }
}
