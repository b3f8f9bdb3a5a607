package dev.berth.manager.build.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.errdefs.BerthException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile as docker's parser does: the parser directives at the top ({@code # escape=}, {@code #
 * syntax=} is read and ignored), comment lines, line continuations with the escape character (comment and empty
 * lines inside a continuation are skipped), case-insensitive keywords, flags ({@code --from=…}), the JSON (exec) and
 * shell forms, {@code ENV}/{@code LABEL} in both the {@code key=value …} and the legacy {@code key value} form.
 * Errors are {@code INVALID_ARGUMENT}: {@code dockerfile parse error on line N: …}.
 */
public final class DockerfileParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Pattern HEREDOC = Pattern.compile("(^|\\s)<<-?[\"']?[A-Za-z_][A-Za-z0-9_]*[\"']?(\\s|$)");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern ONBUILD_KEYWORD = Pattern.compile("(?i)^\\s*ONBUILD\\s*");
    private static final Set<String> BUILDKIT_FLAGS = Set.of("mount", "network", "security", "link", "parents",
            "checksum", "keep-git-dir", "exclude", "start-interval");

    private DockerfileParser() {
    }

    public static Dockerfile parse(String text) {
        List<String> lines = List.of(text.replace("\r\n", "\n").split("\n", -1));
        int first = 0;
        char escape = '\\';
        for (; first < lines.size(); first++) {
            Matcher m = DIRECTIVE.matcher(lines.get(first));
            if (!m.matches()) {
                break;
            }
            if (m.group(1).equalsIgnoreCase("escape")) {
                String value = m.group(2);
                if (!value.equals("\\") && !value.equals("`")) {
                    throw error(first + 1, "invalid escape token '" + value + "' does not match ` or \\");
                }
                escape = value.charAt(0);
            }
        }
        List<Instruction.Arg> globalArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        List<Instruction> current = new ArrayList<>();
        for (LogicalLine logical : logicalLines(lines, first, escape)) {
            Instruction instruction = instruction(logical, escape);
            if (instruction instanceof Instruction.From f) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from, current));
                }
                from = f;
                current = new ArrayList<>();
            } else if (from != null) {
                current.add(instruction);
            } else if (instruction instanceof Instruction.Arg arg) {
                globalArgs.add(arg);
            } else {
                throw error(logical.line, "no build stage in current context: " + logical.text);
            }
        }
        if (from == null) {
            throw BerthException.invalidArgument("dockerfile parse error: file with no instructions");
        }
        stages.add(new Stage(stages.size(), from, current));
        Map<String, Integer> names = new LinkedHashMap<>();
        for (Stage stage : stages) {
            stage.name().ifPresent(n -> {
                Integer previous = names.put(n, stage.from().line());
                if (previous != null) {
                    throw error(stage.from().line(), "duplicate name " + n + " (first on line " + previous + ")");
                }
            });
        }
        return new Dockerfile(escape, globalArgs, stages);
    }

    /** A logical line: {@code text} trimmed, {@code raw} with its trailing whitespace (docker's Original). */
    private record LogicalLine(int line, String text, String raw) {
        LogicalLine(int line, String raw) {
            this(line, raw.strip(), raw);
        }
    }

    private static List<LogicalLine> logicalLines(List<String> lines, int first, char escape) {
        List<LogicalLine> result = new ArrayList<>();
        StringBuilder text = null;
        int start = 0;
        for (int i = first; i < lines.size(); i++) {
            String raw = lines.get(i);
            String trimmed = raw.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String body = text == null ? raw.stripLeading() : raw;
            String end = body.stripTrailing();
            boolean continues = !end.isEmpty() && end.charAt(end.length() - 1) == escape;
            if (text == null) {
                text = new StringBuilder();
                start = i + 1;
            }
            text.append(continues ? end.substring(0, end.length() - 1) : body);
            if (!continues) {
                result.add(new LogicalLine(start, text.toString()));
                text = null;
            }
        }
        if (text != null && !text.toString().isBlank()) {
            result.add(new LogicalLine(start, text.toString()));
        }
        return result;
    }

    private static Instruction instruction(LogicalLine logical, char escape) {
        String text = logical.text;
        int space = firstSpace(text);
        String keyword = text.substring(0, space).toUpperCase(Locale.ROOT);
        String rest = text.substring(space).strip();
        Args args = new Args(logical.line, keyword, text, logical.raw, rest, escape);
        return switch (keyword) {
            case "FROM" -> args.from();
            case "RUN" -> {
                args.flags(Set.of());
                args.noHeredoc();
                yield new Instruction.Run(args.command(false), logical.line, text);
            }
            case "CMD" -> new Instruction.Cmd(args.command(true), logical.line, text);
            case "ENTRYPOINT" -> new Instruction.Entrypoint(args.command(true), logical.line, text);
            case "COPY", "ADD" -> args.copy(keyword.equals("ADD"));
            case "ENV" -> new Instruction.Env(args.pairs(), logical.line, text);
            case "LABEL" -> new Instruction.Label(args.pairs(), logical.line, text);
            case "ARG" -> args.arg();
            case "WORKDIR" -> new Instruction.Workdir(args.single(), logical.line, text);
            case "USER" -> new Instruction.User(args.single(), logical.line, text);
            case "STOPSIGNAL" -> new Instruction.StopSignal(args.single(), logical.line, text);
            case "MAINTAINER" -> new Instruction.Maintainer(args.single(), logical.line, text);
            case "EXPOSE" -> new Instruction.Expose(args.words(), logical.line, text);
            case "VOLUME" -> new Instruction.Volume(args.jsonOrWords(), logical.line, text);
            case "SHELL" -> new Instruction.Shell(args.jsonRequired(), logical.line, text);
            case "HEALTHCHECK" -> args.healthcheck();
            case "ONBUILD" -> args.onbuild();
            default -> throw error(logical.line, "unknown instruction: " + text.substring(0, space));
        };
    }

    private static int firstSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return text.length();
    }

    /** The arguments of one instruction, consumed by the reader for its kind. */
    private static final class Args {
        private final int line;
        private final String keyword;
        private final String source;
        private final String raw;
        private final char escape;
        private String rest;
        private final Map<String, String> flags = new LinkedHashMap<>();

        Args(int line, String keyword, String source, String raw, String rest, char escape) {
            this.line = line;
            this.keyword = keyword;
            this.source = source;
            this.raw = raw;
            this.rest = rest;
            this.escape = escape;
        }

        /** Takes the leading {@code --name=value} / {@code --name} words; refuses names outside {@code allowed}. */
        void flags(Set<String> allowed) {
            while (rest.startsWith("--")) {
                int space = firstSpace(rest);
                String flag = rest.substring(2, space);
                if (flag.isEmpty()) {
                    rest = rest.substring(space).strip();
                    break;
                }
                int eq = flag.indexOf('=');
                String name = eq < 0 ? flag : flag.substring(0, eq);
                if (!allowed.contains(name)) {
                    if (BUILDKIT_FLAGS.contains(name)) {
                        throw error(line, keyword + " --" + name + " is BuildKit syntax, not supported by berth's "
                                + "builder: " + source);
                    }
                    throw error(line, "unknown flag: --" + name + ": " + source);
                }
                flags.put(name, eq < 0 ? "true" : flag.substring(eq + 1));
                rest = rest.substring(space).strip();
            }
        }

        Optional<String> flag(String name) {
            return Optional.ofNullable(flags.get(name));
        }

        void noHeredoc() {
            if (HEREDOC.matcher(rest).find()) {
                throw error(line, "heredocs are BuildKit syntax, not supported by berth's builder: " + source);
            }
        }

        void requireSome() {
            if (rest.isEmpty()) {
                throw error(line, keyword + " requires at least one argument");
            }
        }

        Instruction.From from() {
            flags(Set.of("platform"));
            List<String> words = whitespaceWords(rest);
            if (words.size() != 1 && !(words.size() == 3 && words.get(1).equalsIgnoreCase("as"))) {
                throw error(line, "FROM requires either one or three arguments");
            }
            Optional<String> name = Optional.empty();
            if (words.size() == 3) {
                String n = words.get(2).toLowerCase(Locale.ROOT);
                if (!STAGE_NAME.matcher(n).matches()) {
                    throw error(line, "invalid name for build stage: \"" + words.get(2)
                            + "\", name can't start with a number or contain symbols");
                }
                name = Optional.of(n);
            }
            return new Instruction.From(words.get(0), name, flag("platform"), line, source);
        }

        /** The exec form when the rest is a JSON array of strings, else the shell form. */
        Command command(boolean emptyAllowed) {
            if (!emptyAllowed) {
                requireSome();
            }
            Optional<List<String>> json = jsonArray(rest);
            return json.map(words -> new Command(words, true)).orElseGet(() -> Command.shell(rest));
        }

        Instruction.Copy copy(boolean add) {
            flags(add ? Set.of("chown", "chmod") : Set.of("from", "chown", "chmod"));
            noHeredoc();
            List<String> words = jsonOrWords();
            if (words.size() < 2) {
                throw error(line, keyword + " requires at least two arguments, but only one was provided. "
                        + "Destination could not be determined.");
            }
            return new Instruction.Copy(add, words.subList(0, words.size() - 1), words.getLast(), flag("from"),
                    flag("chown"), flag("chmod"), line, source);
        }

        List<KeyValue> pairs() {
            requireSome();
            List<String> words = quotedWords(rest);
            List<KeyValue> pairs = new ArrayList<>();
            if (!words.getFirst().contains("=")) {
                // the legacy form: the first word is the key, the rest of the line its value
                String value = rest.substring(rest.indexOf(words.getFirst()) + words.getFirst().length()).strip();
                if (value.isEmpty()) {
                    throw error(line, keyword + " must have two arguments");
                }
                pairs.add(new KeyValue(words.getFirst(), value));
                return pairs;
            }
            for (String word : words) {
                int eq = word.indexOf('=');
                if (eq < 0) {
                    throw error(line, "Syntax error - can't find = in \"" + word + "\". Must be of the form: "
                            + "name=value");
                }
                if (eq == 0) {
                    throw error(line, keyword + " names can not be blank");
                }
                pairs.add(new KeyValue(word.substring(0, eq), word.substring(eq + 1)));
            }
            return pairs;
        }

        Instruction.Arg arg() {
            List<String> words = quotedWords(rest);
            if (words.size() != 1) {
                throw error(line, "ARG requires exactly one argument");
            }
            String word = words.getFirst();
            int eq = word.indexOf('=');
            if (eq == 0) {
                throw error(line, "ARG names can not be blank");
            }
            return eq < 0 ? new Instruction.Arg(word, Optional.empty(), line, source)
                    : new Instruction.Arg(word.substring(0, eq), Optional.of(word.substring(eq + 1)), line, source);
        }

        String single() {
            if (rest.isEmpty()) {
                throw error(line, keyword + " requires exactly one argument");
            }
            return rest;
        }

        List<String> words() {
            requireSome();
            return whitespaceWords(rest);
        }

        List<String> jsonOrWords() {
            requireSome();
            return jsonArray(rest).orElseGet(() -> whitespaceWords(rest));
        }

        List<String> jsonRequired() {
            requireSome();
            List<String> words = jsonArray(rest).orElseThrow(
                    () -> error(line, keyword + " requires the arguments to be in JSON form"));
            if (words.isEmpty()) {
                throw error(line, keyword + " requires at least one argument");
            }
            return words;
        }

        Instruction.Healthcheck healthcheck() {
            flags(Set.of("interval", "timeout", "start-period", "retries"));
            requireSome();
            int space = firstSpace(rest);
            String type = rest.substring(0, space).toUpperCase(Locale.ROOT);
            String command = rest.substring(space).strip();
            List<String> test;
            if (type.equals("NONE")) {
                if (!command.isEmpty() || !flags.isEmpty()) {
                    throw error(line, "HEALTHCHECK NONE takes no arguments");
                }
                test = List.of("NONE");
            } else if (type.equals("CMD")) {
                if (command.isEmpty()) {
                    throw error(line, "Missing command after HEALTHCHECK CMD");
                }
                Optional<List<String>> json = jsonArray(command);
                test = new ArrayList<>();
                if (json.isPresent()) {
                    test.add("CMD");
                    test.addAll(json.get());
                } else {
                    test.add("CMD-SHELL");
                    test.add(command);
                }
            } else {
                throw error(line, "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
            }
            OptionalInt retries = OptionalInt.empty();
            if (flags.containsKey("retries")) {
                try {
                    int n = Integer.parseInt(flags.get("retries"));
                    if (n < 0) {
                        throw error(line, "--retries cannot be negative (" + n + ")");
                    }
                    retries = OptionalInt.of(n);
                } catch (NumberFormatException e) {
                    throw error(line, "invalid --retries \"" + flags.get("retries") + "\": not a number");
                }
            }
            return new Instruction.Healthcheck(test, duration("interval"), duration("timeout"),
                    duration("start-period"), retries, line, source);
        }

        private Optional<Duration> duration(String name) {
            String value = flags.get(name);
            if (value == null) {
                return Optional.empty();
            }
            Duration d = goDuration(value).orElseThrow(
                    () -> error(line, "invalid --" + name + " \"" + value + "\": not a duration like 30s or 1m30s"));
            if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
                throw error(line, "--" + name + " cannot be less than 1ms");
            }
            return Optional.of(d);
        }

        Instruction.Onbuild onbuild() {
            requireSome();
            String trigger = rest.substring(0, firstSpace(rest)).toUpperCase(Locale.ROOT);
            switch (trigger) {
                case "ONBUILD" -> throw error(line, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                case "FROM", "MAINTAINER" -> throw error(line, trigger + " isn't allowed as an ONBUILD trigger");
                default -> instruction(new LogicalLine(line, rest), escape);
            }
            // docker's expression: the line as written (its trailing whitespace too) less the keyword
            return new Instruction.Onbuild(ONBUILD_KEYWORD.matcher(raw).replaceFirst(""), line, source);
        }

        /** Words split at unquoted whitespace, quotes and escapes kept for the expansion (docker's parseWords). */
        private List<String> quotedWords(String s) {
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            char quote = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) {
                    if (!word.isEmpty()) {
                        words.add(word.toString());
                        word.setLength(0);
                    }
                    continue;
                }
                word.append(c);
                if (c == escape && quote != '\'' && i + 1 < s.length()) {
                    word.append(s.charAt(++i));
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                }
            }
            if (!word.isEmpty()) {
                words.add(word.toString());
            }
            if (words.isEmpty()) {
                throw error(line, keyword + " requires at least one argument");
            }
            return words;
        }
    }

    private static List<String> whitespaceWords(String s) {
        return List.of(s.strip().split("\\s+"));
    }

    private static Optional<List<String>> jsonArray(String s) {
        if (!s.startsWith("[")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(s);
            if (node == null || !node.isArray()) {
                return Optional.empty();
            }
            List<String> words = new ArrayList<>();
            for (JsonNode element : node) {
                if (!element.isTextual()) {
                    return Optional.empty();
                }
                words.add(element.textValue());
            }
            return Optional.of(words);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Go's {@code time.ParseDuration} for the positive durations a Dockerfile gives ({@code 1m30s}, {@code 500ms}). */
    static Optional<Duration> goDuration(String s) {
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = DURATION_PART.matcher(s);
        int end = 0;
        double nanos = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) nanos));
    }

    private static BerthException error(int line, String message) {
        return BerthException.invalidArgument("dockerfile parse error on line " + line + ": " + message);
    }
}
