package dev.berth.shim.io;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One stdio path as containerd passes it: empty for none, a FIFO path (no scheme, or {@code fifo://}), a file to
 * append to ({@code file:///path}), or a logging binary ({@code binary:///path?key=value}, whose query becomes its
 * arguments {@code key value} in order, as containerd's {@code NewBinaryCmd} builds them).
 */
sealed interface StreamUri {
    record None() implements StreamUri {}

    record Fifo(String path) implements StreamUri {}

    record File(Path path) implements StreamUri {}

    record Binary(Path path, List<String> args) implements StreamUri {}

    /** Parses one stdio string; {@code name} ({@code stdout of create c1}) names it in errors. */
    static StreamUri parse(String value, String name) {
        if (value == null || value.isEmpty()) {
            return new None();
        }
        int colon = value.indexOf("://");
        if (colon < 0) {
            return new Fifo(value);
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new StdioException("parse " + name + ": " + e.getMessage());
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
            throw new StdioException("parse " + name + ": " + value + ": no path");
        }
        return switch (uri.getScheme()) {
            case "fifo" -> new Fifo(path);
            case "file" -> new File(Path.of(path));
            case "binary" -> new Binary(Path.of(path), args(uri.getRawQuery()));
            default -> throw new StdioException("parse " + name + ": unknown scheme " + uri.getScheme());
        };
    }

    private static List<String> args(String rawQuery) {
        List<String> args = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return args;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            args.add(decode(eq < 0 ? pair : pair.substring(0, eq)));
            args.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return args;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
