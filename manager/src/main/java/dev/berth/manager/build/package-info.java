/**
 * Dockerfile builds with the classic builder's semantics (docker without BuildKit, buildah). {@link
 * dev.berth.manager.build.Builder} extracts the context, parses the Dockerfile ({@code build.dockerfile}) and
 * builds each stage step by step ({@code StageBuild}): RUN in a container the engine makes ({@code RunStep}, its
 * changes a layer through the differ), COPY/ADD as a layer written from a plan ({@code CopyPlan}), WORKDIR as a
 * layer of the directories it makes (none when they exist), other instructions as config changes. Every step's image is recorded as a cache entry ({@link
 * dev.berth.manager.build.BuildCache}: image records {@code berth.build/cache:<key>}).
 */
package dev.berth.manager.build;
