package dev.berth.cli.flags;

import dev.berth.model.Mount;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --mount type=volume|bind|tmpfs,source=…,target=…[,readonly][,…]}: docker's CSV syntax as a
 * {@link Mount} record (docker's {@code opts.MountOpt}).
 */
final class MountSpec {
    private static final String FLAG = "--mount";

    private MountSpec() {
    }

    static Mount parse(String value) {
        String type = "volume";
        String source = null;
        String target = null;
        Boolean readOnly = null;
        String consistency = null;
        String propagation = null;
        Boolean nonRecursive = null;
        Boolean noCopy = null;
        Map<String, String> labels = new LinkedHashMap<>();
        String driver = null;
        Map<String, String> driverOptions = new LinkedHashMap<>();
        Long tmpfsSize = null;
        Integer tmpfsMode = null;
        for (String field : value.split(",")) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String v = eq < 0 ? null : field.substring(eq + 1);
            switch (key) {
                case "type" -> type = required(value, key, v);
                case "source", "src" -> source = required(value, key, v);
                case "target", "dst", "destination" -> target = required(value, key, v);
                case "readonly", "ro" -> readOnly = bool(value, key, v);
                case "consistency" -> consistency = v;
                case "bind-propagation" -> propagation = v;
                case "bind-nonrecursive" -> nonRecursive = bool(value, key, v);
                case "volume-nocopy" -> noCopy = bool(value, key, v);
                case "volume-label" -> put(labels, value, required(value, key, v));
                case "volume-driver" -> driver = v;
                case "volume-opt" -> put(driverOptions, value, required(value, key, v));
                case "tmpfs-size" -> tmpfsSize = Units.bytes(FLAG, required(value, key, v));
                case "tmpfs-mode" -> {
                    try {
                        tmpfsMode = Integer.parseInt(required(value, key, v), 8);
                    } catch (NumberFormatException e) {
                        throw Units.invalid(FLAG, value, "invalid value for " + key + ": " + v);
                    }
                }
                default -> throw Units.invalid(FLAG, value, "unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (target == null) {
            throw Units.invalid(FLAG, value, "target is required");
        }
        if (!type.equals("volume") && !type.equals("bind") && !type.equals("tmpfs")) {
            throw Units.invalid(FLAG, value, "invalid mount type: " + type);
        }
        Mount.BindOptions bind = propagation != null || nonRecursive != null
                ? new Mount.BindOptions(propagation, nonRecursive, null) : null;
        Mount.VolumeOptions volume = noCopy != null || !labels.isEmpty() || driver != null || !driverOptions.isEmpty()
                ? new Mount.VolumeOptions(noCopy, labels.isEmpty() ? null : labels,
                        driver == null && driverOptions.isEmpty() ? null
                                : new Mount.DriverConfig(driver, driverOptions.isEmpty() ? null : driverOptions))
                : null;
        Mount.TmpfsOptions tmpfs = tmpfsSize != null || tmpfsMode != null
                ? new Mount.TmpfsOptions(tmpfsSize, tmpfsMode) : null;
        return new Mount(type, source, target, readOnly, consistency, bind, volume, tmpfs);
    }

    private static String required(String whole, String key, String v) {
        if (v == null || v.isEmpty()) {
            throw Units.invalid(FLAG, whole, "invalid field '" + key + "' must be a key=value pair");
        }
        return v;
    }

    private static Boolean bool(String whole, String key, String v) {
        if (v == null) {
            return true;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw Units.invalid(FLAG, whole, "invalid value for " + key + ": " + v);
        };
    }

    private static void put(Map<String, String> map, String whole, String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw Units.invalid(FLAG, whole, "invalid key=value: " + kv);
        }
        map.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
}
