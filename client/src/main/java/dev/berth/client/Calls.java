package dev.berth.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.FilterValues;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.model.DockerJson;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** How every call of the library is made: a failed status becomes a {@link DaemonException}, once, here. */
final class Calls {
    private Calls() {
    }

    static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw DaemonException.of(e);
        }
    }

    static void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    /**
     * A server stream as a Java stream, mapped by {@code map}: closing the stream (try-with-resources) cancels the
     * call, so a followed log or an event stream ends when its reader is done.
     */
    static <M, T> Stream<T> stream(Supplier<Iterator<M>> open, Function<M, T> map) {
        Context.CancellableContext context = Context.current().withCancellation();
        Iterator<M> messages;
        try {
            messages = context.call(open::get);
        } catch (StatusRuntimeException e) {
            context.cancel(null);
            throw DaemonException.of(e);
        } catch (Exception e) {
            context.cancel(null);
            throw new IllegalStateException("open stream", e);
        }
        Iterator<T> mapped = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return call(messages::hasNext);
            }

            @Override
            public T next() {
                return map.apply(call(messages::next));
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(mapped, Spliterator.ORDERED), false)
                .onClose(() -> context.cancel(null));
    }

    static JsonNode json(JsonDocument document) {
        return json(document.getJson().toByteArray());
    }

    static JsonNode json(byte[] bytes) {
        try {
            return DockerJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("read daemon json", e);
        }
    }

    static Map<String, FilterValues> filters(Map<String, List<String>> filters) {
        Map<String, FilterValues> out = new LinkedHashMap<>();
        filters.forEach((k, v) -> out.put(k, FilterValues.newBuilder().addAllValues(v).build()));
        return out;
    }
}
