package org.stationtrust.sbi.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Encryption of authentication biometrics, SBI 0.9.5 §Capture (response): the ISO record is
 * encrypted with a fresh AES-256-GCM session key (128-bit tag); AAD and IV are the last 16 and 12
 * bytes of {@code data.timestamp XOR data.transactionId} (UTF-8 bytes, the shorter left-padded with
 * zero bytes); the session key is encrypted to the server certificate with
 * RSA/ECB/OAEPWithSHA-256AndMGF1Padding (MGF1 SHA-256); the thumbprint is the upper-hex SHA-256 of
 * that certificate's DER.
 */
public final class AuthEncryption {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The three encrypted fields of one element; all base64url without padding, thumbprint upper hex. */
    public record Encrypted(String bioValue, String sessionKey, String thumbprint) {
    }

    private AuthEncryption() {
    }

    public static Encrypted encrypt(X509Certificate serverCertificate, byte[] isoRecord, String timestamp,
                                    String transactionId) {
        try {
            byte[] xor = xor(timestamp.getBytes(StandardCharsets.UTF_8), transactionId.getBytes(StandardCharsets.UTF_8));
            byte[] aad = Arrays.copyOfRange(xor, xor.length - 16, xor.length);
            byte[] iv = Arrays.copyOfRange(xor, xor.length - 12, xor.length);

            KeyGenerator kg = KeyGenerator.getInstance("AES");
            kg.init(256, RANDOM);
            SecretKey sessionKey = kg.generateKey();
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, sessionKey, new GCMParameterSpec(128, iv));
            aes.updateAAD(aad);
            byte[] encrypted = aes.doFinal(isoRecord);

            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, serverCertificate.getPublicKey(),
                    new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
            byte[] wrappedKey = rsa.doFinal(sessionKey.getEncoded());

            return new Encrypted(Wire.base64Url(encrypted), Wire.base64Url(wrappedKey),
                    Wire.upperHex(Wire.sha256(serverCertificate.getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not encrypt to the configured server certificate ("
                    + serverCertificate.getPublicKey().getAlgorithm() + " key; RSA expected): " + e.getMessage(), e);
        }
    }

    /** Byte-wise XOR after left-padding the shorter input with zero bytes. */
    static byte[] xor(byte[] a, byte[] b) {
        int n = Math.max(a.length, b.length);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int ia = i - (n - a.length);
            int ib = i - (n - b.length);
            out[i] = (byte) ((ia >= 0 ? a[ia] : 0) ^ (ib >= 0 ? b[ib] : 0));
        }
        return out;
    }
}
