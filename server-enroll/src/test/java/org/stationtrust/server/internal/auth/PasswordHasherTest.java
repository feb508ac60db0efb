package org.stationtrust.server.internal.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1024, 1, new PasswordHashSlots(1));

    @Test
    void acceptsTheRightPasswordAndRefusesAnyOther() {
        String h = hasher.hash("correct horse battery".toCharArray());
        assertTrue(h.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"));
        assertTrue(hasher.matches("correct horse battery".toCharArray(), h));
        assertFalse(hasher.matches("correct horse batterz".toCharArray(), h));
    }

    @Test
    void saltsEveryHash() {
        assertNotEquals(hasher.hash("same password 1".toCharArray()), hasher.hash("same password 1".toCharArray()));
    }

    @Test
    void refusesShortPasswordsAndMalformedHashes() {
        assertThrows(IllegalArgumentException.class, () -> hasher.hash("short".toCharArray()));
        assertFalse(hasher.matches("whatever password".toCharArray(), "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA"));
        assertFalse(hasher.matches("whatever password".toCharArray(), "plain"));
    }

    @Test
    void defaultCostIsMemoryHard() {
        String h = new PasswordHasher().hash("a reasonable passphrase".toCharArray());
        assertTrue(h.contains("m=19456,"), h);
    }
}
