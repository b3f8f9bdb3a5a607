/**
 * The Dockerfile language as docker's classic builder (and buildah) reads it: {@link
 * dev.berth.manager.build.dockerfile.DockerfileParser} turns the text into {@link
 * dev.berth.manager.build.dockerfile.Dockerfile} — the {@code ARG}s before the first {@code FROM} and a {@link
 * dev.berth.manager.build.dockerfile.Stage} per {@code FROM} — of typed {@link
 * dev.berth.manager.build.dockerfile.Instruction}s; {@link dev.berth.manager.build.dockerfile.Expander} is docker's
 * build-time variable substitution ({@code $VAR}, {@code ${VAR:-default}}, {@code ${VAR:+alt}}, quotes, the escape
 * character).
 *
 * <p>The parser keeps every value as written (quotes and {@code $} references included); a builder expands an
 * instruction with {@link dev.berth.manager.build.dockerfile.Instruction#expand} when it reaches it, because the
 * values of {@code ENV} and {@code ARG} are only known then. BuildKit-only syntax ({@code RUN --mount}, heredocs,
 * {@code COPY --link}) is refused with the line, not silently misread.
 */
package dev.berth.manager.build.dockerfile;
