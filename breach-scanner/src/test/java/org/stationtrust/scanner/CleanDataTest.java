package org.stationtrust.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.scanner.testing.Samples;

/**
 * Data that is supposed to be there must not raise findings: biometric records encrypted the way the
 * agent's queue stores them, ES256 JWS signatures, hashes in hex and base64, public keys, and log lines
 * whose secrets were redacted. Enough of it (megabytes of ciphertext and base64) that a weak pattern would
 * match by chance.
 */
class CleanDataTest {
    private static final int ROWS = 1000;
    @TempDir Path dir;

    @Test
    void encryptedQueueRowsSignaturesHashesAndRedactedLogsGiveNoFinding() throws Exception {
        SecretKey key = KeyGenerator.getInstance("AES").generateKey();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        KeyPair machineKey = ec.generateKeyPair();
        Path queue = dir.resolve("queue.db");
        Path log = dir.resolve("service.log");
        StringBuilder logText = new StringBuilder();
        long ciphertextBytes = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + queue)) {
            c.setAutoCommit(false);
            c.createStatement().execute("CREATE TABLE outbox (id TEXT PRIMARY KEY, payload BLOB, packet TEXT, digest TEXT)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbox VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    String id = "idem-" + i;
                    byte[] record = Samples.concat(Samples.record(i % 2 == 0 ? "FIR\0" + "020\0" : "IIR\0" + "020\0"), Samples.jpeg());
                    byte[] sealed = seal(key, record, id);
                    ciphertextBytes += sealed.length;
                    String jws = jws(machineKey, "{\"packetId\":\"" + id + "\",\"hash\":\"" + hex(record) + "\"}");
                    insert.setString(1, id);
                    insert.setBytes(2, sealed);
                    insert.setString(3, jws);
                    insert.setString(4, Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(sealed)));
                    insert.executeUpdate();
                    logText.append("{\"ts\":\"2026-01-01T00:00:00Z\",\"event\":\"request\",\"authorization\":\"Bearer [redacted]\",")
                            .append("\"signature\":\"[redacted]\",\"requestId\":\"").append(hex(Samples.random(8)))
                            .append("\",\"x5t#S256\":\"").append(Samples.b64url(Samples.random(32))).append("\",\"jws\":\"")
                            .append(jws).append("\"}\n");
                }
            }
            c.commit();
        }
        logText.append("-----BEGIN PUBLIC KEY-----\n").append(Base64.getMimeEncoder().encodeToString(machineKey.getPublic().getEncoded()))
                .append("\n-----END PUBLIC KEY-----\nenrollment token issued: ste_[redacted] for sta_<token>\n");
        Files.writeString(log, logText);

        ScanReport report = BreachScanner.withListedSecrets(List.of(Samples.PASSWORD))
                .scan(new ScanTargets(List.of(queue), List.of(), List.of(), List.of(log)));

        assertEquals(List.of(), report.findings(), report.render());
        assertTrue(ciphertextBytes > ROWS * 1000, "ciphertext scanned: " + ciphertextBytes);
        assertEquals(ROWS * 4L, report.databaseCells());
    }

    private static byte[] seal(SecretKey key, byte[] plain, String associated) throws Exception {
        byte[] iv = Samples.random(12);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        gcm.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
        return Samples.concat(iv, gcm.doFinal(plain));
    }

    private static String jws(KeyPair key, String payload) throws Exception {
        String signingInput = Samples.b64url("{\"alg\":\"ES256\",\"kid\":\"m1\",\"typ\":\"capture-packet+jws\"}".getBytes(StandardCharsets.UTF_8))
                + "." + Samples.b64url(payload.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key.getPrivate());
        s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Samples.b64url(s.sign());
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
