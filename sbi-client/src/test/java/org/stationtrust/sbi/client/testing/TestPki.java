package org.stationtrust.sbi.client.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-time PKI: a device-provider CA, device certificates it issues (valid, expired, not yet valid),
 * a second untrusted CA, and a JWS signer. Everything is generated in memory per test run.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    public final KeyPair caKeys;
    public final X509Certificate ca;
    public final KeyPair deviceKeys;
    public final X509Certificate device;

    public TestPki(String caName) {
        caKeys = rsa();
        Instant now = Instant.now();
        ca = issue(caKeys.getPublic(), "CN=" + caName, "CN=" + caName, caKeys.getPrivate(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true);
        deviceKeys = rsa();
        device = deviceCertificate(deviceKeys.getPublic(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
    }

    public X509Certificate deviceCertificate(PublicKey key, Instant notBefore, Instant notAfter) {
        return issue(key, "CN=Test Device " + SERIAL.incrementAndGet(), ca.getSubjectX500Principal().getName(),
                caKeys.getPrivate(), notBefore, notAfter, false);
    }

    /**
     * A CA certificate for {@code key} named {@code subject}, issued by {@code issuer}: an intermediate, or a
     * cross-certificate when {@code key} and {@code subject} are those of another root.
     */
    public static X509Certificate caCertificate(PublicKey key, String subject, X509Certificate issuer, PrivateKey issuerKey) {
        Instant now = Instant.now();
        return issue(key, subject, issuer.getSubjectX500Principal().getName(), issuerKey, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(30)), true);
    }

    /** An end-entity signing certificate for {@code key} named {@code subject}, issued by {@code issuer}. */
    public static X509Certificate signerCertificate(PublicKey key, String subject, X509Certificate issuer,
                                                    PrivateKey issuerKey) {
        Instant now = Instant.now();
        return issue(key, subject, issuer.getSubjectX500Principal().getName(), issuerKey, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(30)), false);
    }

    public static KeyPair rsa() {
        return rsa(2048);
    }

    /** An RSA key of {@code bits} (1024 only to prove weak keys are refused). */
    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate issue(PublicKey subjectKey, String subject, String issuer, PrivateKey issuerKey,
                                         Instant notBefore, Instant notAfter, boolean isCa) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String x5c(X509Certificate cert) {
        try {
            return Base64.getEncoder().encodeToString(cert.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RS256 compact JWS with {@code x5c = [cert]}. */
    public static String signRs256(String payloadJson, PrivateKey key, X509Certificate cert) {
        return signWithHeader("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + x5c(cert) + "\"]}", payloadJson, key);
    }

    public static String signWithHeader(String headerJson, String payloadJson, PrivateKey key) {
        try {
            String input = b64url(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                    + b64url(payloadJson.getBytes(StandardCharsets.UTF_8));
            Signature s = Signature.getInstance(key.getAlgorithm().equals("EC") ? "SHA256withECDSAinP1363Format"
                    : "SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64url(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic alg-confusion forgery: HS256 keyed with the certificate's public key bytes. */
    public static String forgeHs256WithPublicKey(String payloadJson, X509Certificate cert) {
        try {
            String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"x5c\":[\"" + x5c(cert) + "\"]}";
            String input = b64url(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + b64url(payloadJson.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cert.getPublicKey().getEncoded(), "HmacSHA256"));
            return input + "." + b64url(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public List<X509Certificate> caList() {
        return List.of(ca);
    }
}
