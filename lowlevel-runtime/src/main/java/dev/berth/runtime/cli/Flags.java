package dev.berth.runtime.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags as runc (urfave/cli) reads them: {@code --name value}, {@code --name=value}, one or two
 * dashes, short aliases; flags stop at the first positional argument or at {@code --}.
 */
final class Flags {
    enum Kind { BOOL, VALUE, MULTI }

    private final Map<String, Kind> kinds = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();

    Flags bool(String name, String... alias) {
        return define(name, Kind.BOOL, alias);
    }

    Flags value(String name, String... alias) {
        return define(name, Kind.VALUE, alias);
    }

    Flags multi(String name, String... alias) {
        return define(name, Kind.MULTI, alias);
    }

    private Flags define(String name, Kind kind, String... alias) {
        kinds.put(name, kind);
        for (String a : alias) {
            aliases.put(a, name);
        }
        return this;
    }

    /** The parsed result: flag values by canonical name, then the positional arguments. */
    record Parsed(Map<String, List<String>> values, List<String> args) {
        boolean has(String name) {
            List<String> v = values.get(name);
            return v != null && !v.isEmpty() && !v.getLast().equals("false");
        }

        String get(String name, String dflt) {
            List<String> v = values.get(name);
            return v == null || v.isEmpty() ? dflt : v.getLast();
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }
    }

    /** Parses flags from {@code from}; stops at the first positional argument unless {@code interspersed}. */
    Parsed parse(List<String> argv, boolean interspersed) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                args.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                if (!interspersed) {
                    args.addAll(argv.subList(i, argv.size()));
                    break;
                }
                args.add(a);
                continue;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String inline = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                inline = body.substring(eq + 1);
                body = body.substring(0, eq);
            }
            String name = aliases.getOrDefault(body, body);
            Kind kind = kinds.get(name);
            if (kind == null) {
                throw new UsageException("flag provided but not defined: -" + body);
            }
            String value;
            if (kind == Kind.BOOL) {
                value = inline == null ? "true" : inline;
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < argv.size()) {
                value = argv.get(++i);
            } else {
                throw new UsageException("flag needs an argument: -" + body);
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new Parsed(values, args);
    }

    /** Wrong usage of the command line; exit status 1 like runc. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
