package org.stationtrust.ctk;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A certificate as a lab reads it in a report: what it is for, subject, issuer, serial, validity and
 * the SHA-256 fingerprint of its DER encoding (upper-case hex, colon-free).
 */
public record CertificateFacts(String role, String subject, String issuer, String serial, Instant notBefore,
                               Instant notAfter, String sha256) {

    public CertificateFacts {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sha256, "sha256");
    }

    public static CertificateFacts of(String role, X509Certificate c) {
        return new CertificateFacts(role, c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT), c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(), fingerprint(c));
    }

    /** SHA-256 of the certificate's DER encoding, upper-case hex. */
    public static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
        }
    }
}
