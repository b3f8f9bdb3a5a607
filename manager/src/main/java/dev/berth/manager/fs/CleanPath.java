package dev.berth.manager.fs;

import java.util.ArrayList;
import java.util.List;

/** Go's {@code path.Clean} for slash-separated paths, as docker applies it to paths in containers and images. */
public final class CleanPath {

    private CleanPath() {
    }

    /** The components of {@code path} cleaned: {@code .} and empty ones dropped, {@code ..} at the root too. */
    public static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /** {@code path} as an absolute cleaned path: no {@code .}, {@code ..}, empty components or trailing slash. */
    public static String absolute(String path) {
        return "/" + String.join("/", components(path));
    }
}
