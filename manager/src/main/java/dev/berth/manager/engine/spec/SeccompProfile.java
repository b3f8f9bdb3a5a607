package dev.berth.manager.engine.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * A seccomp profile in docker's format (moby {@code profiles/seccomp}: {@code archMap} or {@code architectures},
 * {@code syscalls} with {@code names} or {@code name}, {@code includes}/{@code excludes} by capability and
 * architecture) and its conversion to the OCI spec's {@code linux.seccomp} for one container: a rule whose
 * {@code includes.caps} the container lacks (all of them are needed) or whose {@code excludes.caps} it has (any
 * one) is left out, as moby's {@code setupSeccomp} does. Berth's default profile is the resource
 * {@code default-seccomp.json} beside this class.
 */
final class SeccompProfile {
    static final String DEFAULT_RESOURCE = "default-seccomp.json";

    private final JsonNode profile;
    private final String what;

    private SeccompProfile(JsonNode profile, String what) {
        this.profile = profile;
        this.what = what;
    }

    static SeccompProfile defaultProfile(ObjectMapper json) {
        try (InputStream in = SeccompProfile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return new SeccompProfile(json.readTree(in), "the default seccomp profile");
        } catch (IOException e) {
            throw new UncheckedIOException("read " + DEFAULT_RESOURCE, e);
        }
    }

    /** A profile given with {@code --security-opt seccomp=…} (docker's CLI sends the file's content). */
    static SeccompProfile parse(ObjectMapper json, String content) {
        try {
            JsonNode node = json.readTree(content);
            if (node == null || !node.isObject()) {
                throw BerthException.invalidArgument("invalid seccomp profile: not a JSON object");
            }
            return new SeccompProfile(node, "the seccomp profile");
        } catch (JsonProcessingException e) {
            throw BerthException.invalidArgument("invalid seccomp profile: " + e.getOriginalMessage());
        }
    }

    /** The OCI {@code linux.seccomp} for a container with capabilities {@code caps} on {@code goArch}. */
    ObjectNode toOci(ObjectMapper json, List<String> caps, String goArch) {
        ObjectNode out = json.createObjectNode();
        String defaultAction = profile.path("defaultAction").asText("");
        if (defaultAction.isEmpty()) {
            throw BerthException.invalidArgument("invalid " + what + ": no defaultAction");
        }
        out.put("defaultAction", defaultAction);
        if (profile.has("defaultErrnoRet")) {
            out.put("defaultErrnoRet", profile.get("defaultErrnoRet").asLong());
        }
        out.set("architectures", architectures(json, goArch));
        if (profile.has("flags")) {
            out.set("flags", profile.get("flags"));
        }
        ArrayNode syscalls = out.putArray("syscalls");
        for (JsonNode call : profile.path("syscalls")) {
            if (!applies(call, caps, goArch)) {
                continue;
            }
            ObjectNode rule = syscalls.addObject();
            ArrayNode names = rule.putArray("names");
            if (call.hasNonNull("name")) {
                names.add(call.get("name").asText());
            }
            call.path("names").forEach(n -> names.add(n.asText()));
            if (names.isEmpty()) {
                throw BerthException.invalidArgument("invalid " + what + ": a syscall rule without names");
            }
            rule.put("action", call.path("action").asText(""));
            if (call.has("errnoRet")) {
                rule.put("errnoRet", call.get("errnoRet").asLong());
            }
            if (call.has("args") && !call.get("args").isEmpty()) {
                rule.set("args", call.get("args"));
            }
        }
        return out;
    }

    /** The native architecture and its sub-architectures from {@code archMap}, or the plain list. */
    private ArrayNode architectures(ObjectMapper json, String goArch) {
        ArrayNode out = json.createArrayNode();
        String scmp = scmpArch(goArch);
        for (JsonNode entry : profile.path("archMap")) {
            if (entry.path("architecture").asText().equals(scmp)) {
                out.add(scmp);
                entry.path("subArchitectures").forEach(out::add);
            }
        }
        if (out.isEmpty()) {
            profile.path("architectures").forEach(out::add);
        }
        return out;
    }

    private static boolean applies(JsonNode call, List<String> caps, String goArch) {
        JsonNode includes = call.path("includes");
        JsonNode excludes = call.path("excludes");
        for (JsonNode cap : includes.path("caps")) {
            if (!caps.contains(cap.asText())) {
                return false;
            }
        }
        for (JsonNode cap : excludes.path("caps")) {
            if (caps.contains(cap.asText())) {
                return false;
            }
        }
        if (includes.path("arches").isArray() && !includes.path("arches").isEmpty()
                && !contains(includes.path("arches"), goArch)) {
            return false;
        }
        return !contains(excludes.path("arches"), goArch);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Go's architecture names (docker's profiles use them) from Java's {@code os.arch}. */
    static String goArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "arm" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> osArch;
        };
    }

    private static String scmpArch(String goArch) {
        return switch (goArch) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            case "386" -> "SCMP_ARCH_X86";
            case "arm" -> "SCMP_ARCH_ARM";
            case "ppc64le" -> "SCMP_ARCH_PPC64LE";
            case "s390x" -> "SCMP_ARCH_S390X";
            case "riscv64" -> "SCMP_ARCH_RISCV64";
            default -> "SCMP_ARCH_NATIVE";
        };
    }
}
