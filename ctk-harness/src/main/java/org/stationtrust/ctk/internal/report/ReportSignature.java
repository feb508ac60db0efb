package org.stationtrust.ctk.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.stationtrust.ctk.CertificateFacts;
import org.stationtrust.ctk.HarnessKey;

/**
 * The JSON report's integrity: a detached JWS (RFC 7515 Appendix F: the payload part left empty)
 * over the exact bytes of ctk-report.json, RS256 with the harness key, its certificate in x5c.
 * Verifying needs only the report, the .jws file and a JDK.
 */
public final class ReportSignature {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_JWS = 64 * 1024;

    private ReportSignature() {
    }

    /** A successful verification: the signing certificate and its SHA-256 fingerprint. */
    public record Verified(X509Certificate certificate, String fingerprint) {
    }

    /** Why a report does not verify. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        public Invalid(String message) {
            super(message);
        }
    }

    public static String sign(byte[] report, HarnessKey key) {
        try {
            ObjectNode header = JSON.createObjectNode();
            header.put("alg", "RS256");
            header.put("typ", "ctk-report+jws");
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(key.certificate().getEncoded()));
            header.put("x5t#S256", B64.encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.certificate().getEncoded())));
            String h = B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8));
            byte[] input = (h + "." + B64.encodeToString(report)).getBytes(StandardCharsets.US_ASCII);
            return h + ".." + B64.encodeToString(key.signRs256(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the report: " + e.getMessage(), e);
        }
    }

    /** Verifies {@code jws} over {@code report}; the signer is whoever x5c names (the caller compares the fingerprint). */
    public static Verified verify(byte[] report, String jws) throws Invalid {
        if (jws == null || jws.length() > MAX_JWS) {
            throw new Invalid("the signature file is missing or larger than " + MAX_JWS + " bytes");
        }
        String[] parts = jws.strip().split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            throw new Invalid("not a detached compact JWS (expected header..signature)");
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (header == null || !"RS256".equals(header.path("alg").asText())) {
                throw new Invalid("the JWS header must say alg RS256");
            }
            JsonNode x5c = header.path("x5c");
            if (!x5c.isArray() || x5c.isEmpty()) {
                throw new Invalid("the JWS header has no x5c certificate");
            }
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(x5c.get(0).asText(""))));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(cert.getPublicKey());
            s.update((parts[0] + "." + B64.encodeToString(report)).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new Invalid("the signature does not match the report (the report or the signature was changed)");
            }
            return new Verified(cert, CertificateFacts.fingerprint(cert));
        } catch (IllegalArgumentException | java.io.IOException | GeneralSecurityException e) {
            throw new Invalid("the signature cannot be read: " + e.getMessage());
        }
    }
}
