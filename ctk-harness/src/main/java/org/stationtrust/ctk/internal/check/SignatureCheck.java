package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every signed part is a compact JWS with an allowed algorithm (never none), an x5c device
 * certificate, and a signature that verifies with that certificate's key (SBI 0.9.5 §Signature).
 * Whether the certificate is trusted is the trust check's concern. The JWS is read as strictly as
 * the station reads it (sbi-client's DeviceJwsVerifier): unpadded base64url parts, no {@code crit},
 * no repeated JSON key; a device the harness passes must not be refused at every station.
 */
public final class SignatureCheck implements Check {
    /** RFC 7515 §2 / §7.1: a compact JWS part is base64url without padding. */
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    @Override
    public String name() {
        return "signature";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (o.signed.isEmpty()) {
            return Finding.notEvaluated(name(), "no signed part in the answers");
        }
        List<String> problems = new ArrayList<>();
        for (Observation.SignedPart part : o.signed) {
            problem(part, rules).ifPresent(problems::add);
        }
        return Finding.of(name(), problems, o.signed.size() + " signed parts verify with their x5c key");
    }

    static Optional<String> problem(Observation.SignedPart part, JudgingRules rules) {
        String what = part.what();
        String[] parts = part.compact() == null ? new String[0] : part.compact().split("\\.", -1);
        if (parts.length != 3) {
            return Optional.of(what + " is not a compact JWS (" + parts.length + " parts, expected 3)");
        }
        Optional<String> encoding = encoding(what, parts);
        if (encoding.isPresent()) {
            return encoding;
        }
        Optional<String> repeated = repeatedKey(what, "header", parts[0]).or(() -> repeatedKey(what, "payload", parts[1]));
        if (repeated.isPresent()) {
            return repeated;
        }
        Optional<JsonNode> header = Certificates.header(part.compact());
        if (header.isEmpty()) {
            return Optional.of(what + " header is not base64url JSON");
        }
        if (header.get().has("crit")) {
            return Optional.of(what + " header declares critical extensions ('crit'); RFC 7515 §4.1.11 makes the JWS"
                    + " invalid for a recipient that does not process them, SBI uses none and the station (sbi-client)"
                    + " refuses it: remove 'crit' from the header");
        }
        String alg = header.get().path("alg").asText("");
        if (alg.equalsIgnoreCase("none") || parts[2].isEmpty()) {
            return Optional.of(what + " is unsigned (alg '" + alg + "', signature empty); expected one of "
                    + rules.allowedAlgorithms());
        }
        if (!rules.allowedAlgorithms().contains(alg)) {
            return Optional.of(what + " uses alg '" + SchemaCheck.abbreviate(alg) + "', allowed: "
                    + rules.allowedAlgorithms());
        }
        PublicKey key;
        try {
            key = Certificates.chain(header.get()).get(0).getPublicKey();
        } catch (CertificateException e) {
            return Optional.of(what + " x5c problem: " + e.getMessage());
        }
        byte[] signature = JsonFacts.base64(parts[2]).orElse(null);
        if (signature == null) {
            return Optional.of(what + " signature part is not base64url");
        }
        try {
            Signature verifier = verifierFor(alg, key);
            if (verifier == null) {
                return Optional.of(what + " declares " + alg + " but x5c holds a " + key.getAlgorithm() + " key");
            }
            verifier.initVerify(key);
            verifier.update(part.compact().substring(0, part.compact().lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature) ? Optional.empty()
                    : Optional.of(what + " signature does not verify with the x5c certificate key (bad signature)");
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.of(what + " signature does not verify with the x5c certificate key (bad signature: "
                    + e.getMessage() + ")");
        }
    }

    private static Optional<String> encoding(String what, String[] parts) {
        String[] labels = {"header", "payload", "signature"};
        for (int i = 0; i < parts.length; i++) {
            if (!BASE64URL.matcher(parts[i]).matches()) {
                return Optional.of(what + " " + labels[i] + " is not unpadded base64url ("
                        + (parts[i].indexOf('=') >= 0 ? "'=' padding" : "characters outside A-Z a-z 0-9 - _")
                        + "); RFC 7515 §7.1 and the station (sbi-client) refuse it: encode each JWS part as"
                        + " base64url without padding");
            }
        }
        return Optional.empty();
    }

    /** A JSON part that repeats a key, which the station refuses (two parsers could read different values). */
    private static Optional<String> repeatedKey(String what, String label, String encoded) {
        Optional<byte[]> bytes = JsonFacts.base64(encoded);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonFacts.MAPPER.readTree(bytes.get());
            return Optional.empty();
        } catch (JsonProcessingException e) {
            String m = String.valueOf(e.getOriginalMessage());
            return m.startsWith("Duplicate field") ? Optional.of(what + " " + label + " repeats a JSON key; the station"
                    + " (sbi-client) refuses duplicate keys, since two parsers could read different values: send each"
                    + " key once") : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** RFC 7518 §3 with the JDK providers: RS* PKCS#1 v1.5, PS* RSASSA-PSS, ES* ECDSA in R||S form. */
    private static Signature verifierFor(String alg, PublicKey key) throws GeneralSecurityException {
        String bits = alg.substring(2);
        if (alg.startsWith("RS") && key instanceof RSAPublicKey) {
            return Signature.getInstance("SHA" + bits + "withRSA");
        }
        if (alg.startsWith("PS") && key instanceof RSAPublicKey) {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", new MGF1ParameterSpec("SHA-" + bits),
                    Integer.parseInt(bits) / 8, 1));
            return s;
        }
        if (alg.startsWith("ES") && key instanceof ECPublicKey) {
            return Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
        }
        return null;
    }
}
