package org.stationtrust.server.internal.http;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The server's TLS key and certificate: from a configured PKCS#12 keystore, or generated for dev mode. */
public record TlsIdentity(KeyStore keyStore, char[] password, X509Certificate certificate) {
    public static final String ALIAS = "server";

    public static TlsIdentity fromKeystore(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            String alias = ks.aliases().nextElement();
            Certificate cert = ks.getCertificate(alias);
            if (!(cert instanceof X509Certificate x509) || !ks.isKeyEntry(alias)) {
                throw new IllegalArgumentException("Keystore " + file + " must hold a private key entry with an X.509 "
                        + "certificate as its first alias");
            }
            return new TlsIdentity(ks, password, x509);
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot load TLS keystore " + file + " (PKCS#12 expected; check "
                    + "the path and SERVER_KEYSTORE_PASSWORD): " + e.getMessage(), e);
        }
    }

    /** A fresh self-signed P-256 certificate for localhost/127.0.0.1, valid 30 days; dev mode only. */
    public static TlsIdentity selfSigned() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=server-enroll dev");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new java.security.SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(30))), name, kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            char[] pw = HexFormat.of().formatHex(org.stationtrust.server.internal.auth.Secrets.randomBytes(16))
                    .toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, kp.getPrivate(), pw, new Certificate[] {cert});
            return new TlsIdentity(ks, pw, cert);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot generate the dev-mode certificate: " + e.getMessage(), e);
        }
    }

    /**
     * What a station pins: {@code sha256/<base64>} of the certificate's SubjectPublicKeyInfo (as OkHttp's
     * CertificatePinner writes it), unchanged when the certificate is renewed with the same key.
     */
    public String publicKeyPin() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return "sha256/" + java.util.Base64.getEncoder().encodeToString(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 over the DER certificate, colon-separated hex: to recognise the certificate, not to pin it. */
    public String fingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
