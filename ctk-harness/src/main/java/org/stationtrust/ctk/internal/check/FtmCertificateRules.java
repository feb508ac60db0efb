package org.stationtrust.ctk.internal.check;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What SBI 0.9.5 asks of the certificates a device signs with, beyond a trusted chain.
 *
 * <p>§Foundational Trust Module Identity: the FTM provider's root (its self-signed certificate, given
 * to the harness with {@code --ftm-ca}) issues each chip's certificate itself, and a chip certificate
 * may be valid for at most 20 years; §Digital Id: the first x5c certificate of an L1 digitalId is that
 * chip certificate ("if the chain of certificates is sent, it is ignored"), so an intermediate between
 * root and chip is not what the spec describes. §Cryptography: biometric signatures use RSA of at least
 * 2048 bits or curve 25519, no other curve; curve 25519 (EdDSA) is refused all the same, since no
 * signature check here or at the station verifies it. MOSIP's toolkit checks none of these (it trusts the chain
 * only), so in the mosip profile they are stricter than MOSIP.
 */
final class FtmCertificateRules {
    /** §Foundational Trust Module Identity: "The validity for the chip certificate can not exceed 20 years". */
    static final int MAX_CHIP_YEARS = 20;
    static final int MIN_RSA_BITS = 2048;

    private FtmCertificateRules() {
    }

    /** The signing key's algorithm and size (§Cryptography); empty when acceptable. */
    static Optional<String> keyStrength(String what, X509Certificate cert) {
        PublicKey key = cert.getPublicKey();
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits >= MIN_RSA_BITS ? Optional.empty()
                    : Optional.of(what + " certificate holds a " + bits + "-bit RSA key; SBI 0.9.5 §Cryptography signs with"
                    + " RSA of at least " + MIN_RSA_BITS + " bits: issue the device a " + MIN_RSA_BITS + "-bit or larger key");
        }
        String alg = key.getAlgorithm();
        if ("Ed25519".equalsIgnoreCase(alg) || "EdDSA".equalsIgnoreCase(alg)) {
            // §Cryptography names curve 25519, but an EdDSA JWS (RFC 8037) is verified neither by the
            // signature check nor by the station: telling the vendor here beats a bad signature later.
            return Optional.of(what + " certificate holds an Ed25519 key; SBI 0.9.5 §Cryptography names curve 25519,"
                    + " but neither this harness's signature check nor the station (sbi-client: RS/PS/ES algorithms)"
                    + " can verify an EdDSA signature, so every station would refuse the device: issue it an RSA key of at"
                    + " least " + MIN_RSA_BITS + " bits");
        }
        return Optional.of(what + " certificate holds a " + alg + " key; SBI 0.9.5 §Cryptography allows RSA (>= "
                + MIN_RSA_BITS + " bits) or curve 25519 only");
    }

    /**
     * The chip certificate of an L1 digitalId: issued by one of {@code ftmRoots} itself (when roots
     * are given) and valid for no more than 20 years.
     */
    static List<String> chipCertificate(String what, X509Certificate chip, List<X509Certificate> ftmRoots) {
        List<String> p = new ArrayList<>();
        if (!ftmRoots.isEmpty() && ftmRoots.stream().noneMatch(root -> issuedBy(chip, root))) {
            p.add(what + " chip certificate is issued by '" + chip.getIssuerX500Principal().getName()
                    + "', not by an FTM root (--ftm-ca) itself; SBI 0.9.5 §Foundational Trust Module Identity has the"
                    + " FTM root issue each chip certificate directly (chain certificates in x5c are ignored)");
        }
        ZonedDateTime from = chip.getNotBefore().toInstant().atZone(ZoneOffset.UTC);
        ZonedDateTime to = chip.getNotAfter().toInstant().atZone(ZoneOffset.UTC);
        if (to.isAfter(from.plusYears(MAX_CHIP_YEARS))) {
            p.add(what + " chip certificate is valid from " + from.toLocalDate() + " to " + to.toLocalDate()
                    + ", longer than the " + MAX_CHIP_YEARS + " years SBI 0.9.5 §Foundational Trust Module Identity allows;"
                    + " the FTM provider must issue it for at most " + MAX_CHIP_YEARS + " years");
        }
        return p;
    }

    private static boolean issuedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
