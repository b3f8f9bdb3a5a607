package dev.berth.manager.identifiers;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"default", "Default", "default-default", "containerd.io", "foo.boo", "swarmkit.docker.io",
            "0912341234", "task.0.0123456789", "container.system-75-f19a.00", "underscores_are_allowed",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void validate_containerdIdentifiers_pass(String id) {
        assertDoesNotThrow(() -> Identifiers.validate(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {".foo..foo", "foo/foo", "foo/..", "foo..foo", "foo.-boo", "-foo", "foo-", "foo_-boo",
            "foo--boo", "foo_/boo", "foo\0boo", "foo\nboo", "foo boo", "..", "foo.", "föo"})
    void validate_separatorsOutOfPlaceOrOtherCharacters_areInvalidArgument(String id) {
        BerthException e = assertThrows(BerthException.class, () -> Identifiers.validate(id));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals("identifier \"" + id + "\" must match ^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$", e.getMessage());
    }

    @Test
    void validate_emptyOrLongerThan76_isInvalidArgumentSayingWhy() {
        assertEquals("identifier must not be empty",
                assertThrows(BerthException.class, () -> Identifiers.validate("")).getMessage());
        String tooLong = "a".repeat(77);
        BerthException e = assertThrows(BerthException.class, () -> Identifiers.validate(tooLong));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertEquals("identifier \"" + tooLong + "\" greater than maximum length (76 characters)", e.getMessage());
    }

    @Test
    void validateNamespace_missingIsFailedPreconditionAndInvalidIsNamed() {
        BerthException missing = assertThrows(BerthException.class, () -> Identifiers.validateNamespace(""));
        assertEquals(ErrorKind.FAILED_PRECONDITION, missing.kind());
        BerthException bad = assertThrows(BerthException.class, () -> Identifiers.validateNamespace("a/b"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, bad.kind());
        assertEquals("namespace validation: identifier \"a/b\" must match ^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$",
                bad.getMessage());
    }

    @Test
    void validateTask_namesTheOperationAndWhichPartIsWrong() {
        assertDoesNotThrow(() -> Identifiers.validate("create task default/web", "default", "web"));
        BerthException ns = assertThrows(BerthException.class,
                () -> Identifiers.validate("create task ../web", "..", "web"));
        assertEquals(ErrorKind.INVALID_ARGUMENT, ns.kind());
        assertEquals("create task ../web: invalid namespace: identifier \"..\" must match "
                + "^[A-Za-z0-9]+(?:[._-](?:[A-Za-z0-9]+))*$", ns.getMessage());
        BerthException id = assertThrows(BerthException.class,
                () -> Identifiers.validate("create task default/", "default", ""));
        assertEquals("create task default/: invalid container id: identifier must not be empty", id.getMessage());
    }
}
