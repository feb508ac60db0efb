package org.stationtrust.sbi.client.internal;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * JWS signature check with the JDK's providers (RFC 7518 §3): RS* = PKCS#1 v1.5, PS* = RSASSA-PSS
 * with salt = hash length, ES* = ECDSA with the R||S (P1363) signature format. The key family must
 * match the algorithm family; anything else is algorithm confusion.
 */
final class JwsSignatures {
    private JwsSignatures() {
    }

    static boolean verify(String alg, PublicKey key, byte[] signingInput, byte[] signature,
                          String what) throws DeviceAnswerRejected {
        boolean rsa = key instanceof RSAPublicKey;
        boolean ec = key instanceof ECPublicKey;
        String bits = alg.substring(2);
        if (!((alg.startsWith("RS") || alg.startsWith("PS")) && rsa) && !(alg.startsWith("ES") && ec)) {
            throw new DeviceAnswerRejected(RejectionReason.ALGORITHM_NOT_ALLOWED, what + " declares " + alg
                    + " but the certificate holds a " + key.getAlgorithm() + " key (algorithm confusion)");
        }
        try {
            Signature s;
            if (alg.startsWith("RS")) {
                s = Signature.getInstance("SHA" + bits + "withRSA");
            } else if (alg.startsWith("PS")) {
                s = Signature.getInstance("RSASSA-PSS");
                int hashBytes = Integer.parseInt(bits) / 8;
                s.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", new MGF1ParameterSpec("SHA-" + bits),
                        hashBytes, 1));
            } else {
                s = Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
            }
            s.initVerify(key);
            s.update(signingInput);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
