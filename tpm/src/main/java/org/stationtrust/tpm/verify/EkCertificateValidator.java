package org.stationtrust.tpm.verify;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x509.Extension;
import org.stationtrust.tpm.verify.internal.TcgEkExtensionChecker;

/**
 * Validates an EK certificate chain against the trusted TPM manufacturer CAs with the JDK's PKIX:
 * signatures, validity dates, CA flags, path length and key usage are all enforced. The TCG EK
 * extensions PKIX does not know are recognised deliberately by {@link TcgEkExtensionChecker};
 * revocation is not checked because TPM vendors' CRLs are not reachable offline.
 */
public final class EkCertificateValidator {
    /** EK certificates are about 1-2 KB; anything far larger is not one. */
    public static final int MAX_CERTIFICATE_BYTES = 16 * 1024;
    private static final int MAX_CHAIN = 8;
    private static final int KEY_USAGE_KEY_ENCIPHERMENT = 2;
    private static final int KEY_USAGE_KEY_AGREEMENT = 4;

    private final TrustAnchors trustAnchors;

    public EkCertificateValidator(TrustAnchors trustAnchors) {
        this.trustAnchors = Objects.requireNonNull(trustAnchors, "trustAnchors");
    }

    /** Parses one DER certificate, bounded in size, rejecting trailing bytes and garbage with a clear error. */
    public static X509Certificate parseCertificate(byte[] der) throws MalformedCertificate {
        if (der == null || der.length == 0 || der.length > MAX_CERTIFICATE_BYTES) {
            throw new MalformedCertificate("expected a DER certificate of 1.." + MAX_CERTIFICATE_BYTES + " bytes, got "
                    + (der == null ? "null" : der.length + " bytes"));
        }
        if (der[0] != 0x30) {
            throw new MalformedCertificate("expected a DER SEQUENCE (first byte 0x30), got 0x"
                    + String.format("%02x", der[0] & 0xff) + "; send the certificate as DER, not PEM or text");
        }
        try {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            if (!Arrays.equals(cert.getEncoded(), der)) {
                throw new MalformedCertificate("the certificate is followed by trailing bytes or is not DER ("
                        + der.length + " bytes given, " + cert.getEncoded().length + " parsed)");
            }
            return cert;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MalformedCertificate("not an X.509 certificate: " + e.getMessage()
                    + "; read it again from TPM NV (e.g. index 0x01C00002)", e);
        }
    }

    /**
     * An EK certificate as read from its NV index: TPMs may pad the index after the certificate (TCG EK
     * Credential Profile 2.0 §2.2.1.5: the index is sized by the manufacturer), and {@code tpm2_nvread} returns
     * the padding too. {@code paddingBytes} says how many bytes followed the outer DER SEQUENCE.
     */
    public record NvCertificate(X509Certificate certificate, int paddingBytes) {
    }

    /**
     * Takes exactly the outer DER SEQUENCE at the start of {@code nv} (strict DER inside it) and reports the
     * bytes after it as padding; everything {@link #parseCertificate} refuses except trailing bytes is refused.
     */
    public static NvCertificate parseNvCertificate(byte[] nv) throws MalformedCertificate {
        if (nv == null || nv.length == 0 || nv.length > MAX_CERTIFICATE_BYTES) {
            throw new MalformedCertificate("expected a DER certificate of 1.." + MAX_CERTIFICATE_BYTES + " bytes, got "
                    + (nv == null ? "null" : nv.length + " bytes"));
        }
        int length = outerSequenceLength(nv);
        if (length < 0 || length > nv.length) {
            throw new MalformedCertificate("expected a DER SEQUENCE with a definite length of at most " + nv.length
                    + " bytes at the start (first bytes 0x" + String.format("%02x", nv[0] & 0xff)
                    + "); send the certificate as DER, not PEM or text");
        }
        return new NvCertificate(parseCertificate(Arrays.copyOf(nv, length)), nv.length - length);
    }

    /** Total length (tag, length octets, content) of the DER SEQUENCE at the start of {@code der}, or -1. */
    public static int outerSequenceLength(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            return -1;
        }
        int first = der[1] & 0xFF;
        if (first < 0x80) {
            return 2 + first;
        }
        int count = first & 0x7F;
        if (count < 1 || count > 3 || der.length < 2 + count) {
            return -1;
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (der[2 + i] & 0xFF);
        }
        return 2 + count + length;
    }

    /** Validates now. */
    public ValidatedEkCertificate validate(X509Certificate ek, List<X509Certificate> chain)
            throws EkCertificateUntrusted {
        return validate(ek, chain, Instant.now());
    }

    /**
     * @param chain intermediates sent with the EK certificate (may be empty when the trust store
     *     holds them); their order does not matter and they are not trusted by themselves
     */
    public ValidatedEkCertificate validate(X509Certificate ek, List<X509Certificate> chain, Instant at)
            throws EkCertificateUntrusted {
        Objects.requireNonNull(ek, "ek");
        Objects.requireNonNull(chain, "chain");
        if (chain.size() > MAX_CHAIN) {
            throw new EkCertificateUntrusted("expected at most " + MAX_CHAIN + " intermediate certificates, got "
                    + chain.size());
        }
        requireEkShape(ek);
        List<X509Certificate> candidates = new ArrayList<>(chain);
        candidates.add(ek);
        candidates.addAll(trustAnchors.intermediates());
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(ek);
            PKIXBuilderParameters params = new PKIXBuilderParameters(trustAnchors.anchors(), target);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(candidates)));
            configure(params, ek, at);
            PKIXCertPathBuilderResult built = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
                    .build(params);
            // Validate the built path once more on its own, so that every check demonstrably ran on it.
            PKIXParameters check = new PKIXParameters(trustAnchors.anchors());
            configure(check, ek, at);
            CertPathValidator.getInstance("PKIX").validate(built.getCertPath(), check);
            List<X509Certificate> path = new ArrayList<>();
            built.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
            return new ValidatedEkCertificate(ek, path, built.getTrustAnchor().getTrustedCert(),
                    TpmManufacturerInfo.fromEkCertificate(ek));
        } catch (GeneralSecurityException e) {
            throw new EkCertificateUntrusted("EK certificate " + describe(ek) + " does not validate against the"
                    + " trusted TPM CAs " + describeRoots() + ": " + reason(ek, chain, at, e)
                    + "; check that the TPM manufacturer's CA is in the trust store", e);
        }
    }

    private static void configure(PKIXParameters params, X509Certificate ek, Instant at) {
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        params.addCertPathChecker(new TcgEkExtensionChecker(ek));
    }

    /** The builder's "unable to find a path" hides the cause; validating the chain as given usually shows it. */
    private String reason(X509Certificate ek, List<X509Certificate> chain, Instant at, GeneralSecurityException e) {
        try {
            List<X509Certificate> ordered = new ArrayList<>();
            ordered.add(ek);
            ordered.addAll(chain.isEmpty() ? trustAnchors.intermediates() : chain);
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(ordered);
            PKIXParameters p = new PKIXParameters(trustAnchors.anchors());
            configure(p, ek, at);
            CertPathValidator.getInstance("PKIX").validate(path, p);
        } catch (GeneralSecurityException | RuntimeException detail) {
            return detail.getMessage();
        }
        return e.getMessage();
    }

    /** TCG EK Credential Profile §3.2: an end entity for key encipherment or agreement, named by its TPM. */
    private static void requireEkShape(X509Certificate ek) throws EkCertificateUntrusted {
        if (ek.getBasicConstraints() >= 0) {
            throw new EkCertificateUntrusted("EK certificate " + describe(ek) + " is a CA certificate"
                    + " (basicConstraints cA=true); an EK certificate must be an end entity");
        }
        boolean[] usage = ek.getKeyUsage();
        boolean rsa = ek.getPublicKey() instanceof RSAPublicKey;
        int required = rsa ? KEY_USAGE_KEY_ENCIPHERMENT : KEY_USAGE_KEY_AGREEMENT;
        if (usage == null || usage.length <= required || !usage[required]) {
            throw new EkCertificateUntrusted("EK certificate " + describe(ek) + " lacks key usage "
                    + (rsa ? "keyEncipherment" : "keyAgreement") + " required for an " + (rsa ? "RSA" : "ECC")
                    + " endorsement key");
        }
        // The JDK accepts any critical SubjectAltName; an EK's names only the TPM (EK profile §3.2.9).
        byte[] san = ek.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (san != null && !TcgEkExtensionChecker.isTpmDirectoryName(san)) {
            throw new EkCertificateUntrusted("EK certificate " + describe(ek) + " has a SubjectAltName with other"
                    + " names than the TPM manufacturer, model and version directoryName; not an EK certificate");
        }
    }

    /**
     * Proves the EK public area read from the TPM holds the certificate's key (same RSA modulus and
     * exponent, or same curve point).
     */
    public static void requireSameKey(X509Certificate ek, TpmPublic ekPublic) throws EkKeyMismatch {
        PublicKey certKey = ek.getPublicKey();
        PublicKey tpmKey = ekPublic.toPublicKey();
        boolean same;
        if (certKey instanceof RSAPublicKey c && tpmKey instanceof RSAPublicKey t) {
            same = c.getModulus().equals(t.getModulus()) && c.getPublicExponent().equals(t.getPublicExponent());
        } else if (certKey instanceof ECPublicKey c && tpmKey instanceof ECPublicKey t) {
            same = c.getW().equals(t.getW()) && c.getParams().getCurve().equals(t.getParams().getCurve());
        } else {
            same = false;
        }
        if (!same) {
            throw new EkKeyMismatch("the EK certificate " + describe(ek) + " holds a " + certKey.getAlgorithm()
                    + " key that differs from the EK public area (" + ekPublic + "); the EK presented is not the"
                    + " certified one: reject the enrollment");
        }
    }

    private static String describe(X509Certificate c) {
        return "(issuer " + c.getIssuerX500Principal().getName() + ", serial " + c.getSerialNumber().toString(16) + ")";
    }

    private String describeRoots() {
        return trustAnchors.roots().stream().map(r -> r.getSubjectX500Principal().getName()).toList().toString();
    }
}
