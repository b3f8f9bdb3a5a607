/**
 * The Docker Engine API endpoint under real clients: Debian's docker CLI 20.10 (the client binary only, taken
 * from the package with {@code apt-get download} and {@code dpkg -x}; no dockerd) against a private berthd's
 * {@code docker.sock}, with images loaded from test-support's archive so nothing is pulled from docker.io.
 * {@code DockerCliTest} runs berthd in the host's network namespace without a bridge; {@code NetnsDockerFixture}
 * runs it with its bridge in a private namespace without uplink, for the network verbs ({@code
 * DockerNetworkCliTest}) and Debian's docker-compose 1.29.2 ({@code ComposeTest}).
 */
package dev.berth.it.dockerapi;
