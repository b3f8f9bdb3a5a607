/**
 * What a build's client and berthd's builder both need to know about a build context: {@link
 * dev.berth.model.build.DockerIgnore}, the {@code .dockerignore} rules the client applies when it sends the context.
 */
package dev.berth.model.build;
