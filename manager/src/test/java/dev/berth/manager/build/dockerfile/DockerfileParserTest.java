package dev.berth.manager.build.dockerfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerfileParserTest {
    @Test
    void multiStage_everyInstruction() {
        Dockerfile df = DockerfileParser.parse("""
                # syntax=docker/dockerfile:1
                ARG BASE=busybox
                FROM ${BASE} AS Builder
                RUN echo building \\
                    && touch /out
                COPY --chown=1:2 a b* /dst/
                ADD ["x y.tar", "/srv/"]
                ENV A=1 B="two words"
                ENV LEGACY some value
                LABEL org.x=y "q z"=w
                ARG V
                WORKDIR /work
                USER app:grp
                EXPOSE 80/tcp 53/udp
                VOLUME /data /cache
                VOLUME ["/json"]
                SHELL ["/bin/sh", "-ec"]
                HEALTHCHECK --interval=1m30s --retries=3 CMD wget -q localhost
                STOPSIGNAL SIGQUIT
                ONBUILD RUN echo later
                CMD ["sh", "-c", "echo hi"]
                ENTRYPOINT /entry.sh
                MAINTAINER someone

                from scratch
                copy --from=builder /out /out
                """);
        assertEquals('\\', df.escape());
        assertEquals(List.of(new Instruction.Arg("BASE", Optional.of("busybox"), 2, "ARG BASE=busybox")),
                df.globalArgs());
        assertEquals(2, df.stages().size());
        Stage first = df.stages().getFirst();
        assertEquals(new Instruction.From("${BASE}", Optional.of("builder"), Optional.empty(), 3,
                "FROM ${BASE} AS Builder"), first.from());
        List<Instruction> in = first.instructions();
        assertEquals(new Instruction.Run(new Command(List.of("echo building     && touch /out"), false), 4,
                "RUN echo building     && touch /out"), in.get(0));
        assertEquals(new Instruction.Copy(false, List.of("a", "b*"), "/dst/", Optional.empty(), Optional.of("1:2"),
                Optional.empty(), 6, "COPY --chown=1:2 a b* /dst/"), in.get(1));
        Instruction.Copy add = (Instruction.Copy) in.get(2);
        assertTrue(add.add());
        assertEquals(List.of("x y.tar"), add.sources());
        assertEquals("ADD", add.keyword());
        assertEquals(List.of(new KeyValue("A", "1"), new KeyValue("B", "\"two words\"")),
                ((Instruction.Env) in.get(3)).pairs());
        assertEquals(List.of(new KeyValue("LEGACY", "some value")), ((Instruction.Env) in.get(4)).pairs());
        assertEquals(List.of(new KeyValue("org.x", "y"), new KeyValue("\"q z\"", "w")),
                ((Instruction.Label) in.get(5)).pairs());
        assertEquals(new Instruction.Arg("V", Optional.empty(), 11, "ARG V"), in.get(6));
        assertEquals("/work", ((Instruction.Workdir) in.get(7)).path());
        assertEquals("app:grp", ((Instruction.User) in.get(8)).user());
        assertEquals(List.of("80/tcp", "53/udp"), ((Instruction.Expose) in.get(9)).ports());
        assertEquals(List.of("/data", "/cache"), ((Instruction.Volume) in.get(10)).paths());
        assertEquals(List.of("/json"), ((Instruction.Volume) in.get(11)).paths());
        assertEquals(List.of("/bin/sh", "-ec"), ((Instruction.Shell) in.get(12)).shell());
        assertEquals(new Instruction.Healthcheck(List.of("CMD-SHELL", "wget -q localhost"),
                Optional.of(Duration.ofSeconds(90)), Optional.empty(), Optional.empty(), OptionalInt.of(3), 18,
                "HEALTHCHECK --interval=1m30s --retries=3 CMD wget -q localhost"), in.get(13));
        assertEquals("SIGQUIT", ((Instruction.StopSignal) in.get(14)).signal());
        assertEquals("STOPSIGNAL", in.get(14).keyword());
        assertEquals("RUN echo later", ((Instruction.Onbuild) in.get(15)).trigger());
        assertEquals(new Command(List.of("sh", "-c", "echo hi"), true), ((Instruction.Cmd) in.get(16)).command());
        assertEquals(new Command(List.of("/entry.sh"), false), ((Instruction.Entrypoint) in.get(17)).command());
        assertEquals("someone", ((Instruction.Maintainer) in.get(18)).name());
        Stage second = df.stages().get(1);
        assertEquals("scratch", second.from().image());
        assertEquals(Optional.of("builder"), ((Instruction.Copy) second.instructions().getFirst()).from());
        assertEquals(Optional.of(first), df.stage("BUILDER"));
        assertEquals(Optional.of(second), df.stage("1"));
        assertEquals(Optional.empty(), df.stage("2"));
        assertEquals(20, df.instructionCount(first));
        assertEquals(22, df.instructionCount(second));
    }

    @Test
    void escapeDirective_backtick_commentsAndBlankLinesInsideContinuations() {
        Dockerfile df = DockerfileParser.parse("""
                # escape=`

                FROM busybox
                RUN echo a `
                # a comment inside

                    b
                COPY C:\\src /dst
                """);
        assertEquals('`', df.escape());
        List<Instruction> in = df.stages().getFirst().instructions();
        assertEquals(new Command(List.of("echo a     b"), false), ((Instruction.Run) in.get(0)).command());
        assertEquals(4, in.get(0).line());
        assertEquals(List.of("C:\\src"), ((Instruction.Copy) in.get(1)).sources());
    }

    @Test
    void directiveAfterAnInstruction_isAComment() {
        Dockerfile df = DockerfileParser.parse("FROM busybox\n# escape=`\nRUN a \\\n b\n");
        assertEquals('\\', df.escape());
        assertEquals("RUN a  b", df.stages().getFirst().instructions().getFirst().source());
    }

    @Test
    void healthcheckForms() {
        List<Instruction> in = DockerfileParser.parse("""
                FROM a
                HEALTHCHECK NONE
                HEALTHCHECK --timeout=500ms --start-period=0 CMD ["/bin/check", "-v"]
                """).stages().getFirst().instructions();
        assertEquals(List.of("NONE"), ((Instruction.Healthcheck) in.get(0)).test());
        Instruction.Healthcheck exec = (Instruction.Healthcheck) in.get(1);
        assertEquals(List.of("CMD", "/bin/check", "-v"), exec.test());
        assertEquals(Optional.of(Duration.ofMillis(500)), exec.timeout());
        assertEquals(Optional.of(Duration.ZERO), exec.startPeriod());
    }

    @Test
    void expand_substitutesTheFieldsDockerSubstitutes() {
        Expander e = new Expander('\\', name -> switch (name) {
            case "DIR" -> Optional.of("/srv");
            case "U" -> Optional.of("app");
            default -> Optional.empty();
        });
        List<Instruction> in = DockerfileParser.parse("""
                FROM busybox
                WORKDIR $DIR/x
                USER ${U}
                ENV P="$DIR/bin:${MISSING:-/usr/bin}" Q='$DIR'
                COPY --chown=$U a ${DIR}/
                RUN echo $DIR
                EXPOSE ${PORT:-80}
                """).stages().getFirst().instructions();
        assertEquals("/srv/x", ((Instruction.Workdir) in.get(0).expand(e)).path());
        assertEquals("app", ((Instruction.User) in.get(1).expand(e)).user());
        assertEquals(List.of(new KeyValue("P", "/srv/bin:/usr/bin"), new KeyValue("Q", "$DIR")),
                ((Instruction.Env) in.get(2).expand(e)).pairs());
        Instruction.Copy copy = (Instruction.Copy) in.get(3).expand(e);
        assertEquals(Optional.of("app"), copy.chown());
        assertEquals("/srv/", copy.destination());
        assertEquals(in.get(4), in.get(4).expand(e));
        assertEquals(List.of("80"), ((Instruction.Expose) in.get(5).expand(e)).ports());
    }

    /** Dockerfile text (| separates lines), the error after "dockerfile parse error ". */
    @Test
    void onbuild_keepsTheLineAsWrittenLessTheKeyword() {
        // docker's Original: continuation lines joined without their escape, trailing whitespace kept
        Dockerfile df = DockerfileParser.parse("FROM a\nonbuild   RUN echo  one \\\n    two   \nONBUILD COPY a /b\n");
        List<Instruction> in = df.stages().getFirst().instructions();
        assertEquals("RUN echo  one     two   ", ((Instruction.Onbuild) in.get(0)).trigger());
        assertEquals("onbuild   RUN echo  one     two", in.get(0).source());
        assertEquals("COPY a /b", ((Instruction.Onbuild) in.get(1)).trigger());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "FROM a|BOGUS x;on line 2: unknown instruction: BOGUS",
        "RUN true;on line 1: no build stage in current context: RUN true",
        "FROM a b;on line 1: FROM requires either one or three arguments",
        "FROM a AS 1st;on line 1: invalid name for build stage: \"1st\", name can't start with a number or contain symbols",
        "FROM a AS x|FROM b AS X;on line 2: duplicate name x (first on line 1)",
        "FROM a|RUN --mount=type=cache,target=/c make;on line 2: RUN --mount is BuildKit syntax, not supported by berth's builder: RUN --mount=type=cache,target=/c make",
        "FROM a|COPY --link a /b;on line 2: COPY --link is BuildKit syntax, not supported by berth's builder: COPY --link a /b",
        "FROM a|COPY --bogus a /b;on line 2: unknown flag: --bogus: COPY --bogus a /b",
        "FROM a|RUN cat <<EOF > /x;on line 2: heredocs are BuildKit syntax, not supported by berth's builder: RUN cat <<EOF > /x",
        "FROM a|COPY onlyone;on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined.",
        "FROM a|ENV;on line 2: ENV requires at least one argument",
        "FROM a|ENV A=1 B;on line 2: Syntax error - can't find = in \"B\". Must be of the form: name=value",
        "FROM a|ENV =1;on line 2: ENV names can not be blank",
        "FROM a|ENV ALONE;on line 2: ENV must have two arguments",
        "FROM a|ARG A B;on line 2: ARG requires exactly one argument",
        "FROM a|WORKDIR;on line 2: WORKDIR requires exactly one argument",
        "FROM a|SHELL /bin/sh -c;on line 2: SHELL requires the arguments to be in JSON form",
        "FROM a|HEALTHCHECK CMD;on line 2: Missing command after HEALTHCHECK CMD",
        "FROM a|HEALTHCHECK RUN x;on line 2: Unknown type \"RUN\" in HEALTHCHECK (try CMD)",
        "FROM a|HEALTHCHECK --interval=10 CMD x;on line 2: invalid --interval \"10\": not a duration like 30s or 1m30s",
        "FROM a|HEALTHCHECK --retries=-1 CMD x;on line 2: --retries cannot be negative (-1)",
        "FROM a|ONBUILD ONBUILD RUN x;on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        "FROM a|ONBUILD FROM b;on line 2: FROM isn't allowed as an ONBUILD trigger",
        "FROM a|ONBUILD BOGUS;on line 2: unknown instruction: BOGUS",
        "# escape=x|FROM a;on line 1: invalid escape token 'x' does not match ` or \\",
    })
    void badInput(String text, String message) {
        BerthException e = assertThrows(BerthException.class, () -> DockerfileParser.parse(text.replace('|', '\n')));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals("dockerfile parse error " + message, e.getMessage());
    }

    @Test
    void noInstructions() {
        assertEquals("dockerfile parse error: file with no instructions",
                assertThrows(BerthException.class, () -> DockerfileParser.parse("# only a comment\n\n")).getMessage());
    }

    @Test
    void goDurations() {
        assertEquals(Optional.of(Duration.ofMillis(1500)), DockerfileParser.goDuration("1.5s"));
        assertEquals(Optional.of(Duration.ofMinutes(61)), DockerfileParser.goDuration("1h1m"));
        assertEquals(Optional.empty(), DockerfileParser.goDuration("5 s"));
        assertEquals(Optional.empty(), DockerfileParser.goDuration("s"));
    }
}
