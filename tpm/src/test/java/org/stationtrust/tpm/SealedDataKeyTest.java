package org.stationtrust.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;

import tss.tpm.TPMT_HA;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;

@ExtendWith(SoftwareTpmExtension.class)
class SealedDataKeyTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void aSealedKeyUnsealsToTheSameBytesAndLeavesNothingLoaded(SoftwareTpm tpm) throws Exception {
        byte[] key = random();
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            SealedDataKey sealed = SealedDataKey.seal(connection, key);
            assertArrayEquals(key, sealed.unseal(connection).getEncoded());
            assertEquals("AES", sealed.unseal(connection).getAlgorithm());
            assertEquals(List.of(), connection.channel().handles(0x80000000));
            assertEquals(List.of(), connection.channel().handles(0x02000000));
        }
    }

    @Test
    void aStoredBlobUnsealsAfterASimulatorRestart(SoftwareTpm tpm) throws Exception {
        byte[] key = random();
        byte[] blob;
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            blob = SealedDataKey.seal(connection, key).toBytes();
        }
        tpm.restart();
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            assertArrayEquals(key, SealedDataKey.fromBytes(blob).unseal(connection).getEncoded());
        }
    }

    @Test
    void aPcrBoundKeyUnsealsOnlyWhileThePcrsAreUnchanged(SoftwareTpm tpm) throws Exception {
        byte[] key = random();
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            SealedDataKey sealed = SealedDataKey.fromBytes(SealedDataKey.seal(connection, key, PcrSelection.of(7, 16)).toBytes());
            assertEquals(Optional.of(PcrSelection.of(7, 16)), sealed.pcrPolicy());
            assertArrayEquals(key, sealed.unseal(connection).getEncoded());
            connection.channel().run("TPM2_PCR_Extend", t -> t.PCR_Extend(new TPM_HANDLE(16),
                    new TPMT_HA[] {new TPMT_HA(TPM_ALG_ID.SHA256, new byte[32])}));
            TpmPolicyCheckFailed e = assertThrows(TpmPolicyCheckFailed.class, () -> sealed.unseal(connection));
            assertTrue(e.getMessage().contains("TPM_RC_POLICY_FAIL"), e.getMessage());
            assertEquals(List.of(), connection.channel().handles(0x80000000));
            assertEquals(List.of(), connection.channel().handles(0x02000000));
        }
    }

    @Test
    void aBlobCopiedToAnotherTpmIsUseless(SoftwareTpm tpm, @TempDir Path otherDir) throws Exception {
        byte[] blob;
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            blob = SealedDataKey.seal(connection, random()).toBytes();
        }
        try (SoftwareTpm other = SoftwareTpm.start(otherDir); TpmConnection connection = TpmConnection.open(other.uri())) {
            SealedDataKey copy = SealedDataKey.fromBytes(blob);
            TpmCommandFailed e = assertThrows(TpmCommandFailed.class, () -> copy.unseal(connection));
            assertEquals("TPM2_Load", e.command());
            assertTrue(e instanceof TpmIntegrityCheckFailed, e.getMessage());
        }
    }

    @Test
    void refusesKeysThatAreNot256Bits(SoftwareTpm tpm) throws Exception {
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            assertThrows(IllegalArgumentException.class, () -> SealedDataKey.seal(connection, new byte[16]));
            assertThrows(IllegalArgumentException.class, () -> SealedDataKey.seal(connection, null));
        }
    }

    @Test
    void rejectsBlobsThatAreTruncatedExtendedOrForeign(SoftwareTpm tpm) throws Exception {
        byte[] blob;
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            blob = SealedDataKey.seal(connection, random()).toBytes();
        }
        for (int cut = 0; cut < blob.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(blob, cut);
            assertThrows(IllegalArgumentException.class, () -> SealedDataKey.fromBytes(truncated), "cut at " + cut);
        }
        assertThrows(IllegalArgumentException.class, () -> SealedDataKey.fromBytes(Arrays.copyOf(blob, blob.length + 1)));
        byte[] wrongMagic = blob.clone();
        wrongMagic[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> SealedDataKey.fromBytes(wrongMagic));
        assertThrows(IllegalArgumentException.class, () -> SealedDataKey.fromBytes(new byte[100_000]));
        for (int i = 0; i < 200; i++) {
            byte[] noise = new byte[16 + RANDOM.nextInt(400)];
            RANDOM.nextBytes(noise);
            System.arraycopy("STSK\u0001".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, noise, 0, 5);
            try {
                SealedDataKey.fromBytes(noise);
            } catch (IllegalArgumentException expected) {
                // the only failure allowed
            }
        }
    }

    private static byte[] random() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }
}
