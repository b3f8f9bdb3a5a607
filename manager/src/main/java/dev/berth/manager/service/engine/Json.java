package dev.berth.manager.service.engine;

import com.google.protobuf.ByteString;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.services.engine.v1.FilterValues;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.model.DockerJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine services' JSON documents and filters, and their bad input as INVALID_ARGUMENT. */
final class Json {
    private Json() {
    }

    static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return DockerJson.read(json, type, what);
        } catch (IllegalArgumentException e) {
            throw BerthException.invalidArgument(e.getMessage());
        }
    }

    static JsonDocument document(Object value) {
        return JsonDocument.newBuilder().setJson(ByteString.copyFrom(DockerJson.write(value))).build();
    }

    static Map<String, List<String>> filters(Map<String, FilterValues> filters) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        filters.forEach((k, v) -> out.put(k, List.copyOf(v.getValuesList())));
        return out;
    }
}
