package dev.berth.manager.build.dockerfile;

import java.util.List;

/**
 * The command of {@code RUN}, {@code CMD}, {@code ENTRYPOINT} or {@code HEALTHCHECK CMD}.
 *
 * @param words    the exec form's strings ({@code ["a", "b"]}), or for the shell form one string: the text as
 *                 written, which the builder runs through the stage's {@code SHELL}
 * @param execForm whether the command was written as a JSON array
 */
public record Command(List<String> words, boolean execForm) {
    public Command {
        words = List.copyOf(words);
    }

    static Command shell(String text) {
        return new Command(List.of(text), false);
    }
}
