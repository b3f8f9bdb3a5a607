package dev.berth.api.errdefs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorKindTest {

    @Test
    void code_matchesGrpcWireValues() {
        assertEquals(3, ErrorKind.INVALID_ARGUMENT.code().value());
        assertEquals(4, ErrorKind.DEADLINE_EXCEEDED.code().value());
        assertEquals(5, ErrorKind.NOT_FOUND.code().value());
        assertEquals(6, ErrorKind.ALREADY_EXISTS.code().value());
        assertEquals(9, ErrorKind.FAILED_PRECONDITION.code().value());
        assertEquals(12, ErrorKind.UNIMPLEMENTED.code().value());
        assertEquals(13, ErrorKind.INTERNAL.code().value());
        assertEquals(14, ErrorKind.UNAVAILABLE.code().value());
    }

    @Test
    void of_invertsCode() {
        for (ErrorKind kind : ErrorKind.values()) {
            assertEquals(kind, ErrorKind.of(kind.code()));
        }
    }

    @Test
    void of_codeWithoutKind_isUnknown() {
        assertEquals(ErrorKind.UNKNOWN, ErrorKind.of(Code.DATA_LOSS));
        assertEquals(ErrorKind.UNKNOWN, ErrorKind.of(Code.OK));
    }

    @Test
    void forValue_outOfRange_isUnknown() {
        assertEquals(Code.NOT_FOUND, Code.forValue(5));
        assertEquals(Code.UNKNOWN, Code.forValue(99));
        assertEquals(Code.UNKNOWN, Code.forValue(-1));
    }
}
