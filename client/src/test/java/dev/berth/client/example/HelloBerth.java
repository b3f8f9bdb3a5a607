package dev.berth.client.example;

import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import dev.berth.client.Options;
import dev.berth.client.Output;
import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The client library's README example, runnable: {@code HelloBerth SOCKET IMAGE [REFERENCE-TO-PULL]}. Runs
 * {@code echo} attached with {@code --rm}, then a detached container whose log it reads and which it removes.
 */
public final class HelloBerth {
    private HelloBerth() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Berth berth = Berth.connect(Path.of(args[0]), "example")) {
            if (args.length > 2) {
                berth.images().pull(args[2], p -> System.out.println(p.id() + ": " + p.status()));
            }
            ContainerConfig echo = new ContainerConfig.Builder().image(args[1])
                    .cmd(List.of("echo", "hello from a container")).build();
            HostConfig rm = new HostConfig.Builder().autoRemove(true).build();
            int status = berth.containers().run("", echo, rm, InputStream.nullInputStream(), System.out, System.err);
            System.out.println("exit status " + status);

            ContainerConfig counter = new ContainerConfig.Builder().image(args[1])
                    .cmd(List.of("sh", "-c", "for i in 1 2 3; do echo line $i; done")).build();
            String id = berth.containers().run("counter", counter, HostConfig.EMPTY);
            System.out.println("counter exited with " + berth.containers().await(id));
            try (Stream<Output> logs = berth.containers().logs(id, Options.Logs.DEFAULT)) {
                logs.forEach(o -> System.out.print(new String(o.data(), StandardCharsets.UTF_8)));
            }
            System.out.println(berth.containers().inspect(id).path("State").path("Status").asText());
            berth.containers().remove(id, Options.Remove.DEFAULT);
        } catch (DaemonException e) {
            System.err.println(e.kind() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
