package dev.berth.manager.image.commit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.image.ContentBlobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Applies Dockerfile-style changes to an image config's process settings, as {@code docker commit --change}:
 * {@code CMD}, {@code ENTRYPOINT} (JSON array, or shell form run by {@code /bin/sh -c}), {@code ENV} and
 * {@code LABEL} ({@code k=v …}, or ENV's legacy {@code k v}), {@code WORKDIR}, {@code USER}, {@code EXPOSE}
 * ({@code 80}, {@code 53/udp}) and {@code VOLUME}. Anything else is INVALID_ARGUMENT naming the change.
 */
public final class ConfigChanges {

    private ConfigChanges() {
    }

    /** Applies {@code changes} in order to {@code config} (the config's {@code config} object), in place. */
    public static void apply(ObjectNode config, List<String> changes) {
        for (String change : changes) {
            applyOne(config, change.strip());
        }
    }

    private static void applyOne(ObjectNode config, String change) {
        int space = change.indexOf(' ');
        String instruction = (space < 0 ? change : change.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : change.substring(space + 1).strip();
        if (args.isEmpty()) {
            throw invalid(change, "no arguments");
        }
        switch (instruction) {
            case "CMD" -> config.set("Cmd", command(args, change));
            case "ENTRYPOINT" -> config.set("Entrypoint", command(args, change));
            case "WORKDIR" -> config.put("WorkingDir", args);
            case "USER" -> config.put("User", args);
            case "ENV" -> {
                for (String[] kv : pairs(args, change)) {
                    setEnv(config, kv[0], kv[1]);
                }
            }
            case "LABEL" -> {
                ObjectNode labels = object(config, "Labels");
                for (String[] kv : pairs(args, change)) {
                    labels.put(kv[0], kv[1]);
                }
            }
            case "EXPOSE" -> {
                ObjectNode ports = object(config, "ExposedPorts");
                for (String port : words(args, change)) {
                    String p = port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp";
                    if (!p.matches("[0-9]{1,5}(-[0-9]{1,5})?/(tcp|udp|sctp)")) {
                        throw invalid(change, "invalid port " + port);
                    }
                    ports.putObject(p);
                }
            }
            case "VOLUME" -> {
                ObjectNode volumes = object(config, "Volumes");
                for (String v : args.startsWith("[") ? jsonArray(args, change) : words(args, change)) {
                    volumes.putObject(v);
                }
            }
            default -> throw invalid(change, "unsupported instruction " + instruction);
        }
    }

    private static ArrayNode command(String args, String change) {
        ArrayNode out = ContentBlobs.JSON.createArrayNode();
        if (args.startsWith("[")) {
            jsonArray(args, change).forEach(out::add);
        } else {
            out.add("/bin/sh").add("-c").add(args);
        }
        return out;
    }

    private static List<String> jsonArray(String args, String change) {
        JsonNode node;
        try {
            node = ContentBlobs.JSON.readTree(args);
        } catch (JacksonException e) {
            throw invalid(change, "invalid JSON array: " + e.getOriginalMessage());
        }
        if (!node.isArray()) {
            throw invalid(change, "not a JSON array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw invalid(change, "not an array of strings");
            }
            out.add(n.asText());
        }
        return out;
    }

    private static void setEnv(ObjectNode config, String key, String value) {
        ArrayNode env = config.get("Env") instanceof ArrayNode a ? a : config.putArray("Env");
        String entry = key + "=" + value;
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).asText().startsWith(key + "=")) {
                env.set(i, entry);
                return;
            }
        }
        env.add(entry);
    }

    private static ObjectNode object(ObjectNode config, String field) {
        return config.get(field) instanceof ObjectNode o ? o : config.putObject(field);
    }

    /** {@code k=v k2="v 2"}, or the legacy single {@code k v w} (value: the rest). */
    private static List<String[]> pairs(String args, String change) {
        List<String> words = words(args, change);
        List<String[]> out = new ArrayList<>();
        if (!words.getFirst().contains("=")) {
            int space = args.indexOf(' ');
            if (space < 0) {
                throw invalid(change, "want key=value or key value");
            }
            out.add(new String[] {args.substring(0, space), args.substring(space + 1).strip()});
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw invalid(change, "want key=value, got " + w);
            }
            out.add(new String[] {w.substring(0, eq), w.substring(eq + 1)});
        }
        return out;
    }

    /** Splits on blanks outside quotes; quotes are removed, a backslash escapes the next character. */
    private static List<String> words(String args, String change) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\\' && quote != '\'' && i + 1 < args.length()) {
                word.append(args.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw invalid(change, "unterminated quote");
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    private static BerthException invalid(String change, String why) {
        return BerthException.invalidArgument("apply change \"" + change + "\": " + why);
    }
}
