package dev.berth.api.ttrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.rpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ttrpc's Request and Response against bytes encoded by hand from the field numbers in Go's types.go. */
class EnvelopeCodecTest {

    private static final byte[] REQUEST_BYTES = {
        0x0a, 3, 's', 'v', 'c', // 1: service "svc"
        0x12, 1, 'M', // 2: method "M"
        0x1a, 2, 1, 2, // 3: payload {1, 2}
        0x20, (byte) 0x80, (byte) 0xad, (byte) 0xe2, 0x04, // 4: timeout_nano 10,000,000 (varint)
        0x2a, 6, 0x0a, 1, 'k', 0x12, 1, 'v', // 5: metadata {key "k", value "v"}
    };

    @Test
    void request_parsesHandEncodedBytes() throws InvalidProtocolBufferException {
        Request request = Request.parseFrom(REQUEST_BYTES);
        assertEquals("svc", request.getService());
        assertEquals("M", request.getMethod());
        assertArrayEquals(new byte[] {1, 2}, request.getPayload().toByteArray());
        assertEquals(10_000_000L, request.getTimeoutNano());
        assertEquals(Metadata.of("k", "v"), Metadata.fromKeyValues(request.getMetadataList()));
    }

    @Test
    void request_encodesToHandEncodedBytes() {
        Request request = Request.newBuilder()
                .setService("svc")
                .setMethod("M")
                .setPayload(ByteString.copyFrom(new byte[] {1, 2}))
                .setTimeoutNano(10_000_000L)
                .addAllMetadata(Metadata.of("k", "v").toKeyValues())
                .build();
        assertArrayEquals(REQUEST_BYTES, request.toByteArray());
    }

    @Test
    void response_parsesStatus() throws InvalidProtocolBufferException {
        // 1: status {1: code 5 (NOT_FOUND), 2: message "nope"}, 2: payload {9}
        byte[] bytes = {0x0a, 8, 0x08, 5, 0x12, 4, 'n', 'o', 'p', 'e', 0x12, 1, 9};
        Response response = Response.parseFrom(bytes);
        assertEquals(Status.newBuilder().setCode(5).setMessage("nope").build(), response.getStatus());
        assertArrayEquals(new byte[] {9}, response.getPayload().toByteArray());
        assertEquals(List.of(), response.getStatus().getDetailsList());
    }
}
