package org.stationtrust.ctk.internal.check;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Authentication captures are encrypted to the harness certificate: each element's thumbprint names
 * that certificate and its bioValue decrypts with the harness key (the runner decrypts; this check
 * judges the outcome) so the record can be judged offline.
 */
public final class DecryptionCheck implements Check {

    @Override
    public String name() {
        return "decryption";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        List<Observation.CaptureElement> elements = o.successfulElements();
        if (elements.isEmpty()) {
            return Finding.notEvaluated(name(), "no successful capture element");
        }
        if (rules.harnessCertificate().isEmpty()) {
            return Finding.fail(name(), "no harness key configured: run with --harness-key-dir and configure "
                    + "the exported certificate on the device");
        }
        List<String> thumbprints = thumbprints(rules.harnessCertificate().get());
        List<String> problems = new ArrayList<>();
        for (Observation.CaptureElement e : elements) {
            String where = "biometrics[" + e.index() + "]";
            String thumb = e.element().path("thumbprint").asText(null);
            // Hex in either case; base64 and base64url are case-sensitive encodings of the digest.
            boolean names = thumb != null && (thumbprints.get(0).equalsIgnoreCase(thumb)
                    || thumbprints.subList(1, thumbprints.size()).contains(thumb));
            if (!names) {
                problems.add(where + ".thumbprint " + (thumb == null ? "is missing" : "'" + SchemaCheck.abbreviate(thumb) + "'")
                        + " does not name the harness certificate (SHA-256 " + thumbprints.get(0) + ")");
            }
            if (e.bioValue() == null) {
                problems.add(where + " bioValue does not decrypt with the harness key: " + e.bioValueProblem());
            }
        }
        return Finding.of(name(), problems, elements.size() + " elements decrypt with the harness key");
    }

    /** The certificate's SHA-256 as hex, base64url and base64: devices use all three. */
    public static List<String> thumbprints(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return List.of(HexFormat.of().formatHex(d), Base64.getUrlEncoder().withoutPadding().encodeToString(d),
                    Base64.getEncoder().encodeToString(d));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the harness certificate", e);
        }
    }
}
