package org.stationtrust.agent.internal.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.atrest.AesGcmCipher;
import org.stationtrust.sbi.client.HashChain;
import org.stationtrust.testsupport.MovableClock;

/** Chains kept in SQLite: continued after reopening, forgotten after their lifetime, never readable with another key. */
class RegistrationChainsTest {
    private static final String HASH = "7A1C" + "0".repeat(58) + "FF";
    @TempDir Path dir;

    private static SecretKey key() throws Exception {
        KeyGenerator g = KeyGenerator.getInstance("AES");
        g.init(256);
        return g.generateKey();
    }

    @Test
    void aChainContinuesAfterReopeningAndIsForgottenAfterItsLifetime() throws Exception {
        SecretKey key = key();
        MovableClock clock = MovableClock.frozenAt(Instant.parse("2026-11-25T09:00:00Z"));
        Path file = dir.resolve(RegistrationChains.FILE);
        try (RegistrationChains chains = RegistrationChains.open(file, new AesGcmCipher(key), clock, Duration.ofHours(24))) {
            assertEquals(HashChain.START_HEX, chains.current("R-1").hex());
            chains.advance("R-1", HASH);
        }
        assertFalse(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(HASH),
                "the hash is sealed on disk");
        clock.advance(Duration.ofHours(23));
        try (RegistrationChains chains = RegistrationChains.open(file, new AesGcmCipher(key), clock, Duration.ofHours(24))) {
            assertEquals(HASH, chains.current("R-1").hex().toUpperCase());
            clock.advance(Duration.ofHours(2));
            assertEquals(HashChain.START_HEX, chains.current("R-1").hex(), "expired: a new chain");
            chains.advance("R-2", HASH);
            assertEquals(1, chains.size(), "the expired row is deleted");
        }
    }

    @Test
    void aWithdrawnCaptureIsRewoundUnlessTheChainMovedOnSince() throws Exception {
        String next = "9B" + "1".repeat(62);
        String later = "C3" + "2".repeat(62);
        try (RegistrationChains chains = RegistrationChains.open(dir.resolve(RegistrationChains.FILE), new AesGcmCipher(key()),
                Clock.systemUTC(), Duration.ofHours(24))) {
            chains.advance("R-1", HASH);
            chains.advance("R-1", next);
            chains.rewind("R-1", next, HASH);
            assertEquals(HASH, chains.current("R-1").hex(), "back where the withdrawn capture started");
            chains.advance("R-1", later);
            chains.rewind("R-1", next, HASH);
            assertEquals(later, chains.current("R-1").hex(), "a chain that moved on is left alone");
        }
    }

    @Test
    void aChainSealedWithAnotherKeyStartsANewChain() throws Exception {
        MovableClock clock = MovableClock.frozenAt(Instant.parse("2026-11-25T09:00:00Z"));
        Path file = dir.resolve(RegistrationChains.FILE);
        try (RegistrationChains chains = RegistrationChains.open(file, new AesGcmCipher(key()), clock, Duration.ofHours(24))) {
            chains.advance("R-1", HASH);
        }
        try (RegistrationChains chains = RegistrationChains.open(file, new AesGcmCipher(key()), clock, Duration.ofHours(24))) {
            assertEquals(HashChain.START_HEX, chains.current("R-1").hex());
        }
    }
}
