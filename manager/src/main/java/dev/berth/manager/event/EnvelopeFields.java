package dev.berth.manager.event;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.berth.manager.filters.Fields;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An envelope's filter fields, as containerd's exchange adapts them: {@code topic}, {@code namespace} and {@code
 * event.<field>...}, where the fields are the payload's protobuf field names ({@code event.container_id}) and the
 * payload is decoded, once, only if a filter asks for one.
 */
final class EnvelopeFields implements Fields {
    private final Envelope envelope;
    private final Map<String, Descriptor> eventTypes;
    private Optional<Message> decoded;

    EnvelopeFields(Envelope envelope, Map<String, Descriptor> eventTypes) {
        this.envelope = envelope;
        this.eventTypes = eventTypes;
    }

    @Override
    public Optional<String> get(List<String> path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        return switch (path.getFirst()) {
            case "topic" -> path.size() == 1 ? Optional.of(envelope.topic()) : Optional.empty();
            case "namespace" -> path.size() == 1 ? Optional.of(envelope.namespace()) : Optional.empty();
            case "event" -> event().flatMap(m -> field(m, path.subList(1, path.size())));
            default -> Optional.empty();
        };
    }

    private Optional<Message> event() {
        if (decoded == null) {
            String url = envelope.event().getTypeUrl();
            Descriptor type = eventTypes.get(url.substring(url.lastIndexOf('/') + 1));
            decoded = Optional.empty();
            if (type != null) {
                try {
                    decoded = Optional.of(DynamicMessage.parseFrom(type, envelope.event().getValue()));
                } catch (InvalidProtocolBufferException e) {
                    // a payload that does not decode has no fields to match
                }
            }
        }
        return decoded;
    }

    private static Optional<String> field(Message message, List<String> path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        FieldDescriptor field = message.getDescriptorForType().findFieldByName(path.getFirst());
        if (field == null) {
            return Optional.empty();
        }
        List<String> rest = path.subList(1, path.size());
        if (field.isMapField()) {
            return rest.size() == 1 ? mapValue(message, field, rest.getFirst()) : Optional.empty();
        }
        if (field.isRepeated()) {
            return Optional.empty();
        }
        Object value = message.getField(field);
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return message.hasField(field) ? field((Message) value, rest) : Optional.empty();
        }
        return rest.isEmpty() ? Optional.of(scalar(field, value)) : Optional.empty();
    }

    private static Optional<String> mapValue(Message message, FieldDescriptor field, String key) {
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            Descriptor entryType = entry.getDescriptorForType();
            if (String.valueOf(entry.getField(entryType.findFieldByName("key"))).equals(key)) {
                FieldDescriptor valueField = entryType.findFieldByName("value");
                return Optional.of(scalar(valueField, entry.getField(valueField)));
            }
        }
        return Optional.empty();
    }

    private static String scalar(FieldDescriptor field, Object value) {
        return switch (field.getType()) {
            case UINT32, FIXED32 -> Integer.toUnsignedString((Integer) value);
            case UINT64, FIXED64 -> Long.toUnsignedString((Long) value);
            case ENUM -> ((EnumValueDescriptor) value).getName();
            case BYTES -> ((com.google.protobuf.ByteString) value).toStringUtf8();
            default -> String.valueOf(value);
        };
    }
}
