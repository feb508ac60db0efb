package org.stationtrust.sbi.client.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.stationtrust.sbi.client.DeviceAnswerRejected;

/**
 * Keeps the device-provider and FTM-provider domains from being bridged (MOSIP partner management keeps "DEVICE" and
 * "FTM" providers apart). Built from both anchor sets, it refuses an anchor of one domain that holds the key of, or was
 * issued by, an anchor of the other; at verification it refuses a chain for one domain holding any certificate with the
 * key of the other domain's anchor. That per-key rule also stops bridges the store cannot see when it is built (a
 * cross-certificate, or an intermediate not configured anywhere): PKIX only moves from a certificate to the next through
 * the key that signed it, so any path leaving through the other domain's CA carries that CA's key.
 */
public final class DomainSeparation {
    private static final HexFormat FINGERPRINT = HexFormat.ofDelimiter(":").withUpperCase();

    private final TrustAnchors deviceProviders;
    private final TrustAnchors ftmProviders;

    /** Throws IllegalArgumentException, naming both certificates, when an anchor of one domain bridges to the other. */
    public DomainSeparation(TrustAnchors deviceProviders, TrustAnchors ftmProviders) {
        this.deviceProviders = Objects.requireNonNull(deviceProviders, "deviceProviders");
        this.ftmProviders = Objects.requireNonNull(ftmProviders, "ftmProviders");
        for (X509Certificate ftm : ftmProviders.certificates()) {
            for (X509Certificate device : deviceProviders.certificates()) {
                if (DeviceSigners.sameKey(ftm, device)) {
                    throw new IllegalArgumentException(describe(ftmProviders, ftm) + " and " + describe(deviceProviders,
                            device) + " hold the same key, so one CA is configured in both domains; the two domains "
                            + "must have distinct roots, otherwise one provider could vouch for the other's keys");
                }
                requireNotIssuedBy(ftmProviders, ftm, deviceProviders, device);
                requireNotIssuedBy(deviceProviders, device, ftmProviders, ftm);
            }
        }
    }

    /** A device key's chain must not pass through an FTM-provider CA's key; refused with CERTIFICATE_UNTRUSTED. */
    public void requireDeviceChain(List<X509Certificate> chain) throws DeviceAnswerRejected {
        requireNoForeignKey(chain, deviceProviders, ftmProviders);
    }

    /** An FTM chip key's chain must not pass through a device-provider CA's key; refused with FTM_CERTIFICATE_UNTRUSTED. */
    public void requireFtmChain(List<X509Certificate> chain) throws DeviceAnswerRejected {
        requireNoForeignKey(chain, ftmProviders, deviceProviders);
    }

    private static void requireNoForeignKey(List<X509Certificate> chain, TrustAnchors own, TrustAnchors foreign)
            throws DeviceAnswerRejected {
        for (int i = 0; i < chain.size(); i++) {
            for (X509Certificate anchor : foreign.certificates()) {
                if (DeviceSigners.sameKey(chain.get(i), anchor)) {
                    // The presented certificate is device data: named by position and fingerprint only.
                    throw new DeviceAnswerRejected(own.untrusted(), "x5c certificate #" + (i + 1) + " (SHA-256 "
                            + fingerprint(chain.get(i)) + ") holds the key of " + describe(foreign, anchor)
                            + "; a chain judged by the " + own.domain() + " CAs must not pass through a CA of the "
                            + foreign.domain() + " domain (a cross-certificate or intermediate would bridge the two)");
                }
            }
        }
    }

    private static void requireNotIssuedBy(TrustAnchors subjectDomain, X509Certificate subject,
                                           TrustAnchors issuerDomain, X509Certificate issuer) {
        if (issuedBy(subject, issuer)) {
            throw new IllegalArgumentException(describe(subjectDomain, subject) + " was issued by "
                    + describe(issuerDomain, issuer) + " (its signature verifies with that CA's key), so a chain could "
                    + "cross from one domain to the other; configure each domain's own self-signed roots, with no "
                    + "certificate of one issued by a CA of the other");
        }
    }

    private static boolean issuedBy(X509Certificate subject, X509Certificate issuer) {
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            // Not signed by that key, or signed in a way the JDK cannot verify; PKIX could not cross it either.
            return false;
        }
    }

    private static String describe(TrustAnchors domain, X509Certificate ca) {
        return domain.domain() + " CA " + DeviceJwsVerifier.name(ca) + " (SHA-256 " + fingerprint(ca) + ")";
    }

    static String fingerprint(X509Certificate c) {
        try {
            return FINGERPRINT.formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate with SHA-256", e);
        }
    }
}
