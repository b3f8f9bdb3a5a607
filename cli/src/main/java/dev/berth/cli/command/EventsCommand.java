package dev.berth.cli.command;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import dev.berth.api.events.ContainerEventsProto;
import dev.berth.api.events.ContentEventsProto;
import dev.berth.api.events.ImageEventsProto;
import dev.berth.api.events.NamespaceEventsProto;
import dev.berth.api.events.SnapshotEventsProto;
import dev.berth.api.events.TaskEventsProto;
import dev.berth.api.services.events.v1.Envelope;
import dev.berth.api.services.events.v1.SubscribeRequest;
import dev.berth.cli.client.Berth;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code berth events}: the namespace's events as they happen, one line each: time, topic and the event's fields.
 */
@Command(name = "events", description = "Get real time events from the server")
public final class EventsCommand extends BaseCommand {

    @Override
    int run(Berth berth) {
        Map<String, Descriptor> types = new HashMap<>();
        for (FileDescriptor file : List.of(TaskEventsProto.getDescriptor(), ContainerEventsProto.getDescriptor(),
                ImageEventsProto.getDescriptor(), NamespaceEventsProto.getDescriptor(),
                SnapshotEventsProto.getDescriptor(), ContentEventsProto.getDescriptor())) {
            file.getMessageTypes().forEach(d -> types.put(d.getFullName(), d));
        }
        Iterator<Envelope> events = berth.events().subscribe(SubscribeRequest.newBuilder()
                .addFilters("namespace==" + berth.namespace()).build());
        while (events.hasNext()) {
            Envelope e = events.next();
            Instant at = Instant.ofEpochSecond(e.getTimestamp().getSeconds(), e.getTimestamp().getNanos());
            System.out.println(at + " " + e.getTopic() + " " + describe(e.getEvent(), types));
            System.out.flush();
        }
        return 0;
    }

    private static String describe(Any event, Map<String, Descriptor> types) {
        String type = event.getTypeUrl().substring(event.getTypeUrl().lastIndexOf('/') + 1);
        Descriptor d = types.get(type);
        if (d == null) {
            return type;
        }
        try {
            return TextFormat.printer().emittingSingleLine(true).printToString(
                    DynamicMessage.parseFrom(d, event.getValue()));
        } catch (InvalidProtocolBufferException ex) {
            return type;
        }
    }
}
