package org.stationtrust.ctk.internal.check;

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
import org.stationtrust.sbi.client.CompactJws;
import org.stationtrust.sbi.client.DeviceAnswerRejected;

/**
 * Every signed part is a compact JWS with an allowed algorithm (never none), an x5c device
 * certificate, and a signature that verifies with that certificate's key (SBI 0.9.5 §Signature).
 * Whether the certificate is trusted is the trust check's concern. The JWS is read by the station's own
 * reader (sbi-client's {@link CompactJws}): unpadded base64url parts, no {@code crit}, no repeated JSON
 * key; a device the harness passes must not be refused at every station.
 */
public final class SignatureCheck implements Check {
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
        CompactJws jws;
        try {
            // The station's own reading (sbi-client CompactJws): three unpadded base64url parts, a strict JSON
            // header with an alg and no crit; the payload JSON as strict (no repeated key).
            jws = CompactJws.parse(part.compact(), what);
            jws.payloadJson(what + " payload");
        } catch (DeviceAnswerRejected e) {
            return Optional.of(e.detail());
        }
        String alg = jws.algorithm();
        byte[] signature = jws.signature();
        if (alg.equalsIgnoreCase("none") || signature.length == 0) {
            return Optional.of(what + " is unsigned (alg '" + SchemaCheck.abbreviate(alg) + "', signature "
                    + (signature.length == 0 ? "empty" : signature.length + " bytes") + "); expected one of "
                    + rules.allowedAlgorithms());
        }
        if (!rules.allowedAlgorithms().contains(alg)) {
            return Optional.of(what + " uses alg '" + SchemaCheck.abbreviate(alg) + "', allowed: "
                    + rules.allowedAlgorithms());
        }
        PublicKey key;
        try {
            key = Certificates.chain(jws.header()).get(0).getPublicKey();
        } catch (CertificateException e) {
            return Optional.of(what + " x5c problem: " + e.getMessage());
        }
        try {
            Signature verifier = verifierFor(alg, key);
            if (verifier == null) {
                return Optional.of(what + " declares " + alg + " but x5c holds a " + key.getAlgorithm() + " key");
            }
            verifier.initVerify(key);
            verifier.update(jws.signingInput());
            return verifier.verify(signature) ? Optional.empty()
                    : Optional.of(what + " signature does not verify with the x5c certificate key (bad signature)");
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.of(what + " signature does not verify with the x5c certificate key (bad signature: "
                    + e.getMessage() + ")");
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
