package org.stationtrust.ctk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The harness's own encryption key: authentication captures are encrypted to its certificate
 * (which the vendor configures on the device), and the harness decrypts them to judge them offline.
 * Generated at run time into a directory (key file mode 0600), never shipped or committed.
 */
public final class HarnessKey {
    public static final String KEY_FILE = "harness-key.pk8";
    public static final String CERT_FILE = "harness-cert.pem";
    private static final int MAX_FILE = 64 * 1024;

    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    private HarnessKey(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
    }

    /** A fresh RSA 3072 key with a self-signed certificate valid for one year. */
    public static HarnessKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(3072, new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=station-trust ctk-harness capture encryption");
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(365))), name, kp.getPublic());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
            return new HarnessKey(kp.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the harness key: " + e.getMessage(), e);
        }
    }

    /** Loads the key from {@code dir}, or generates one there (key 0600, certificate PEM) when absent. */
    public static HarnessKey loadOrCreate(Path dir) {
        Path key = dir.resolve(KEY_FILE);
        Path cert = dir.resolve(CERT_FILE);
        try {
            if (Files.exists(key) && Files.exists(cert)) {
                return load(key, cert);
            }
            Files.createDirectories(dir);
            HarnessKey fresh = generate();
            Files.write(key, fresh.privateKey.getEncoded());
            try {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Non-POSIX file system: the directory's own protection applies.
            }
            Files.writeString(cert, fresh.certificatePem(), StandardCharsets.US_ASCII);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the harness key in " + dir
                    + "; pass a writable --harness-key-dir", e);
        }
    }

    private static HarnessKey load(Path keyFile, Path certFile) throws IOException {
        if (Files.size(keyFile) > MAX_FILE || Files.size(certFile) > MAX_FILE) {
            throw new IOException("harness key files are larger than " + MAX_FILE + " bytes; they are not ours");
        }
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
            X509Certificate cert;
            try (var in = Files.newInputStream(certFile)) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            return new HarnessKey(key, cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("harness key files in " + keyFile.getParent() + " are unreadable (" + e.getMessage()
                    + "); delete them to generate a new key", e);
        }
    }

    /** RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of {@code data}: the report's detached JWS. */
    public byte[] signRs256(byte[] data) {
        try {
            java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the harness key: " + e.getMessage(), e);
        }
    }

    /** The certificate the vendor configures on the device as the server encryption certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        try {
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the harness certificate", e);
        }
    }

    /**
     * Decrypts an authentication bioValue, SBI 0.9.5 §Capture: the session key is RSA-OAEP (SHA-256,
     * MGF1 SHA-256) wrapped to this certificate; the record is AES-256-GCM with a 128-bit tag, whose
     * AAD and IV are the last 16 and 12 bytes of timestamp XOR transactionId (UTF-8, the shorter
     * left-padded with zero bytes), as the deployed devices and our simulator do.
     *
     * @throws GeneralSecurityException when the key or the record does not decrypt
     */
    public byte[] decrypt(byte[] wrappedSessionKey, byte[] encryptedRecord, String timestamp, String transactionId)
            throws GeneralSecurityException {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, privateKey,
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] sessionKey = rsa.doFinal(wrappedSessionKey);
        byte[] mix = xorRightAligned(timestamp.getBytes(StandardCharsets.UTF_8), transactionId.getBytes(StandardCharsets.UTF_8));
        if (mix.length < 16) {
            throw new GeneralSecurityException("timestamp and transactionId are too short to derive AAD and IV");
        }
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(sessionKey, "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(mix, mix.length - 12, mix.length)));
        aes.updateAAD(Arrays.copyOfRange(mix, mix.length - 16, mix.length));
        return aes.doFinal(encryptedRecord);
    }

    static byte[] xorRightAligned(byte[] a, byte[] b) {
        int n = Math.max(a.length, b.length);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int ia = i - (n - a.length);
            int ib = i - (n - b.length);
            out[i] = (byte) ((ia >= 0 ? a[ia] : 0) ^ (ib >= 0 ? b[ib] : 0));
        }
        return out;
    }

    @Override
    public String toString() {
        return "HarnessKey[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
