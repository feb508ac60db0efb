package org.stationtrust.agent.internal.atrest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.queue.Backoff;
import org.stationtrust.agent.internal.queue.OutboundItem;
import org.stationtrust.agent.internal.queue.OutboundQueue;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/** Data at rest with two real software TPMs: the queue's key is sealed to one, and a copied state directory is useless on the other. */
class SealedQueueTest {
    @TempDir static Path dir;
    private static SoftwareTpm tpmA;
    private static SoftwareTpm tpmB;
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(10), Duration.ofMillis(20));
    private static final byte[] PACKET = "{\"bioValue\":\"FINGERPRINT-TEMPLATE-BYTES\"}".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() {
        tpmA = SoftwareTpm.start(dir.resolve("tpm-a"));
        tpmB = SoftwareTpm.start(dir.resolve("tpm-b"));
    }

    @AfterAll
    static void stop() {
        if (tpmA != null) tpmA.close();
        if (tpmB != null) tpmB.close();
    }

    private static TpmConnection provisioned(SoftwareTpm tpm) throws Exception {
        TpmConnection connection = TpmConnection.open(tpm.uri());
        MachineIdentity.provision(connection, IdentityConfig.defaults());
        return connection;
    }

    @Test
    void queuedPacketsAreReadableOnlyThroughTheTpmThatSealedTheirKey() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        String key;
        try (TpmConnection a = provisioned(tpmA);
             OutboundQueue queue = OutboundQueue.open(state.resolve("queue.db"), new AesGcmCipher(new TpmDataKey(a, state).dataKey()),
                     Clock.systemUTC(), BACKOFF)) {
            key = queue.enqueue("packet", "/api/v1/packets", PACKET);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(TpmDataKey.FILE))));
        for (Path f : Files.list(state).toList()) {
            assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains("FINGERPRINT-TEMPLATE"), f + " holds plaintext");
        }

        tpmA.restart();
        try (TpmConnection a = TpmConnection.open(tpmA.uri());
             OutboundQueue queue = OutboundQueue.open(state.resolve("queue.db"), new AesGcmCipher(new TpmDataKey(a, state).dataKey()),
                     Clock.systemUTC(), BACKOFF)) {
            OutboundItem item = queue.nextDue().orElseThrow();
            assertEquals(key, item.idempotencyKey());
            assertArrayEquals(PACKET, item.body(), "the same TPM unseals the key after a restart");
        }

        Path copy = Files.createDirectories(dir.resolve("copied-state"));
        for (Path f : Files.list(state).toList()) Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        try (TpmConnection b = provisioned(tpmB)) {
            TpmDataKey.ForeignDataKey refused = assertThrows(TpmDataKey.ForeignDataKey.class, () -> new TpmDataKey(b, copy).dataKey());
            assertTrue(refused.getMessage().contains("another machine"), refused.getMessage());
        }
    }
}
