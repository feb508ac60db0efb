package org.stationtrust.tpm.verify.internal;

import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectDirectoryAttributes;

/**
 * Recognises, on the EK certificate only, the critical extensions of the TCG EK Credential Profile
 * (2.0 §3.2) that the JDK's PKIX does not process: a SubjectAltName made only of a directoryName of
 * TCG attributes naming the TPM (manufacturer/model/version, 2.23.133.2.1-3), and
 * SubjectDirectoryAttributes holding only TCG attributes (2.23.133.*, e.g. TPM specification). Anything else stays unresolved, so PKIX
 * still rejects unknown critical extensions; validity, signatures, CA flags and key usage stay on.
 */
public final class TcgEkExtensionChecker extends PKIXCertPathChecker {
    public static final String TCG_ARC = "2.23.133";
    private static final String TCG_ATTRIBUTES = TCG_ARC + ".2.";
    public static final ASN1ObjectIdentifier TPM_MANUFACTURER = new ASN1ObjectIdentifier("2.23.133.2.1");
    public static final ASN1ObjectIdentifier TPM_MODEL = new ASN1ObjectIdentifier("2.23.133.2.2");
    public static final ASN1ObjectIdentifier TPM_VERSION = new ASN1ObjectIdentifier("2.23.133.2.3");

    private final X509Certificate ekCertificate;

    public TcgEkExtensionChecker(X509Certificate ekCertificate) {
        this.ekCertificate = ekCertificate;
    }

    @Override
    public void init(boolean forward) throws CertPathValidatorException {
        // Stateless: each certificate is judged on its own.
    }

    /**
     * Not forward: the JDK's path builder then only consults {@link #getSupportedExtensions()} while
     * searching, and runs {@link #check} on the path it found; EkCertificateValidator validates that
     * path once more with CertPathValidator, which calls {@link #check} too.
     */
    @Override
    public boolean isForwardCheckingSupported() {
        return false;
    }

    @Override
    public Set<String> getSupportedExtensions() {
        return Set.of(Extension.subjectAlternativeName.getId(), Extension.subjectDirectoryAttributes.getId());
    }

    @Override
    public void check(Certificate cert, Collection<String> unresolvedCritExts) throws CertPathValidatorException {
        if (!ekCertificate.equals(cert)) {
            return;
        }
        String san = Extension.subjectAlternativeName.getId();
        if (unresolvedCritExts.contains(san) && isTpmDirectoryName(ekCertificate.getExtensionValue(san))) {
            unresolvedCritExts.remove(san);
        }
        String sda = Extension.subjectDirectoryAttributes.getId();
        if (unresolvedCritExts.contains(sda) && isTcgAttributes(ekCertificate.getExtensionValue(sda))) {
            unresolvedCritExts.remove(sda);
        }
    }

    /**
     * True when the SAN holds only directoryNames made of TCG attributes, each naming the TPM
     * (manufacturer, model or version).
     */
    public static boolean isTpmDirectoryName(byte[] extensionValue) {
        try {
            GeneralNames names = GeneralNames.getInstance(unwrap(extensionValue));
            GeneralName[] all = names.getNames();
            if (all.length == 0) {
                return false;
            }
            for (GeneralName name : all) {
                if (name.getTagNo() != GeneralName.directoryName) {
                    return false;
                }
                boolean namesTpm = false;
                for (RDN rdn : X500Name.getInstance(name.getName()).getRDNs()) {
                    for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                        ASN1ObjectIdentifier t = atv.getType();
                        // TCG attributes only (2.23.133.2.*, e.g. tpmIdLabel 2.23.133.2.15 besides the three)
                        if (!t.getId().startsWith(TCG_ATTRIBUTES)) {
                            return false;
                        }
                        namesTpm |= t.equals(TPM_MANUFACTURER) || t.equals(TPM_MODEL) || t.equals(TPM_VERSION);
                    }
                }
                if (!namesTpm) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isTcgAttributes(byte[] extensionValue) {
        try {
            SubjectDirectoryAttributes sda = SubjectDirectoryAttributes.getInstance(unwrap(extensionValue));
            for (Object o : sda.getAttributes()) {
                if (!((Attribute) o).getAttrType().getId().startsWith(TCG_ARC + ".")) {
                    return false;
                }
            }
            return !sda.getAttributes().isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static ASN1Encodable unwrap(byte[] extensionValue) {
        if (extensionValue == null) {
            throw new IllegalArgumentException("extension absent");
        }
        return parse(ASN1OctetString.getInstance(extensionValue).getOctets());
    }

    private static ASN1Primitive parse(byte[] der) {
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("extension is not DER: " + e.getMessage(), e);
        }
    }
}
