package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.ctk.testing.SimulatorFixture;

class HarnessKeyTest {
    private static final HarnessKey KEY = SimulatorFixture.KEY;

    /** Encrypts the way an SBI device does (SBI 0.9.5 §Capture), written here independently of the harness. */
    static byte[][] deviceEncrypts(byte[] record, String timestamp, String txn) throws GeneralSecurityException {
        byte[] ts = timestamp.getBytes(StandardCharsets.UTF_8);
        byte[] tx = txn.getBytes(StandardCharsets.UTF_8);
        int n = Math.max(ts.length, tx.length);
        byte[] mix = new byte[n];
        for (int i = 0; i < n; i++) {
            int a = i - (n - ts.length);
            int b = i - (n - tx.length);
            mix[i] = (byte) ((a >= 0 ? ts[a] : 0) ^ (b >= 0 ? tx[b] : 0));
        }
        byte[] session = new byte[32];
        new SecureRandom().nextBytes(session);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(session, "AES"), new GCMParameterSpec(128, Arrays.copyOfRange(mix, n - 12, n)));
        aes.updateAAD(Arrays.copyOfRange(mix, n - 16, n));
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, KEY.certificate().getPublicKey(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        return new byte[][] {rsa.doFinal(session), aes.doFinal(record)};
    }

    @Test
    void decryptsWhatADeviceEncryptedToTheHarnessCertificate() throws Exception {
        byte[] record = "FIR\0020\0 pretend record".getBytes(StandardCharsets.US_ASCII);
        byte[][] enc = deviceEncrypts(record, "2026-11-25T08:00:00Z", "CTK-3f1c2a9e");
        assertArrayEquals(record, KEY.decrypt(enc[0], enc[1], "2026-11-25T08:00:00Z", "CTK-3f1c2a9e"));
    }

    @Test
    void refusesWhenTheTransactionIdDiffersFromTheOneBoundIntoTheCiphertext() throws Exception {
        byte[][] enc = deviceEncrypts(new byte[64], "2026-11-25T08:00:00Z", "CTK-3f1c2a9e");
        assertThrows(GeneralSecurityException.class,
                () -> KEY.decrypt(enc[0], enc[1], "2026-11-25T08:00:00Z", "CTK-other-id"));
    }

    @Test
    void writesItsKeyPrivatelyAndReloadsTheSameCertificate(@TempDir Path dir) throws Exception {
        HarnessKey created = HarnessKey.loadOrCreate(dir);
        assertTrue(Files.readString(dir.resolve(HarnessKey.CERT_FILE)).startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(dir.resolve(HarnessKey.KEY_FILE)));
        assertEquals(created.certificate(), HarnessKey.loadOrCreate(dir).certificate());
    }
}
