package dev.berth.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The runtime-spec configuration ({@code config.json}) as immutable records. Unknown fields are ignored, as the
 * spec requires; a field of the wrong type is an error that names its path.
 */
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {

    /** Reads and parses {@code <bundle>/config.json}. */
    public static Spec load(Path bundle) throws IOException {
        Path file = bundle.resolve("config.json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException("read " + file + ": no such file or directory");
        }
        return parse(text, file.toString());
    }

    public static Spec parse(String text, String source) {
        try {
            return fromJson(JsonObject.parse(text));
        } catch (JsonException e) {
            throw new SpecException("parse " + source + ": " + e.getMessage());
        }
    }

    public static Spec fromJson(JsonObject o) {
        return new Spec(
                o.optString("ociVersion", ""),
                o.has("process") ? Process.fromJson(o.object("process")) : null,
                o.has("root") ? Root.fromJson(o.object("root")) : null,
                o.optString("hostname", null),
                o.optString("domainname", null),
                o.objects("mounts", Mount::fromJson),
                o.has("hooks") ? Hooks.fromJson(o.object("hooks")) : Hooks.NONE,
                o.stringMap("annotations"),
                o.has("linux") ? Linux.fromJson(o.object("linux")) : Linux.EMPTY);
    }

    /** The container's process ({@code process}); also the format of {@code exec --process}. */
    public record Process(
            boolean terminal,
            long consoleHeight,
            long consoleWidth,
            User user,
            List<String> args,
            List<String> env,
            String cwd,
            Capabilities capabilities,
            List<Rlimit> rlimits,
            boolean noNewPrivileges,
            String apparmorProfile,
            Long oomScoreAdj,
            String selinuxLabel,
            Map<String, Object> scheduler,
            Map<String, Object> ioPriority) {

        public static Process fromJson(JsonObject o) {
            JsonObject size = o.optObject("consoleSize");
            return new Process(
                    o.optBool("terminal", false),
                    size == null ? 0 : size.number("height"),
                    size == null ? 0 : size.number("width"),
                    o.has("user") ? User.fromJson(o.object("user")) : new User(0, 0, null, List.of(), null),
                    o.strings("args"),
                    o.strings("env"),
                    o.optString("cwd", "/"),
                    o.has("capabilities") ? Capabilities.fromJson(o.object("capabilities")) : null,
                    o.objects("rlimits", Rlimit::fromJson),
                    o.optBool("noNewPrivileges", false),
                    o.optString("apparmorProfile", ""),
                    o.optLong("oomScoreAdj"),
                    o.optString("selinuxLabel", ""),
                    o.has("scheduler") ? o.object("scheduler").raw() : null,
                    o.has("ioPriority") ? o.object("ioPriority").raw() : null);
        }

        public Process withArgs(List<String> newArgs) {
            return new Process(terminal, consoleHeight, consoleWidth, user, newArgs, env, cwd, capabilities, rlimits,
                    noNewPrivileges, apparmorProfile, oomScoreAdj, selinuxLabel, scheduler, ioPriority);
        }
    }

    public record User(long uid, long gid, Long umask, List<Long> additionalGids, String username) {
        static User fromJson(JsonObject o) {
            return new User(o.optLong("uid") == null ? 0 : o.optLong("uid"),
                    o.optLong("gid") == null ? 0 : o.optLong("gid"),
                    o.optLong("umask"), o.longs("additionalGids"), o.optString("username", null));
        }
    }

    /** The five capability sets, by name ({@code CAP_CHOWN}). */
    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                               List<String> permitted, List<String> ambient) {
        static Capabilities fromJson(JsonObject o) {
            return new Capabilities(o.strings("bounding"), o.strings("effective"), o.strings("inheritable"),
                    o.strings("permitted"), o.strings("ambient"));
        }
    }

    public record Rlimit(String type, long hard, long soft) {
        static Rlimit fromJson(JsonObject o) {
            return new Rlimit(o.string("type"), o.number("hard"), o.number("soft"));
        }
    }

    public record Root(String path, boolean readonly) {
        static Root fromJson(JsonObject o) {
            return new Root(o.string("path"), o.optBool("readonly", false));
        }
    }

    public record Mount(String destination, String type, String source, List<String> options) {
        static Mount fromJson(JsonObject o) {
            return new Mount(o.string("destination"), o.optString("type", ""), o.optString("source", ""),
                    o.strings("options"));
        }
    }

    /** Lifecycle hooks; {@code prestart} is the deprecated alias that runs with createRuntime. */
    public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
                        List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {
        public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

        static Hooks fromJson(JsonObject o) {
            return new Hooks(o.objects("prestart", Hook::fromJson), o.objects("createRuntime", Hook::fromJson),
                    o.objects("createContainer", Hook::fromJson), o.objects("startContainer", Hook::fromJson),
                    o.objects("poststart", Hook::fromJson), o.objects("poststop", Hook::fromJson));
        }
    }

    public record Hook(String path, List<String> args, List<String> env, Long timeout) {
        static Hook fromJson(JsonObject o) {
            Long timeout = o.optLong("timeout");
            if (timeout != null && timeout <= 0) {
                throw new JsonException("hook timeout must be positive");
            }
            return new Hook(o.string("path"), o.strings("args"), o.strings("env"), timeout);
        }
    }
}
