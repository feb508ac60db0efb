package org.stationtrust.tpm.verify;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.stationtrust.tpm.verify.internal.TcgEkExtensionChecker;

/**
 * The TPM manufacturer, model and firmware version an EK certificate names in its SubjectAltName
 * (TCG EK Credential Profile §3.2.9, OIDs 2.23.133.2.1/2/3), for display. Not evidence by itself:
 * only as trustworthy as the certificate chain.
 */
public record TpmManufacturerInfo(String manufacturer, String model, String version) {
    public TpmManufacturerInfo {
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
    }

    /** The TPM attributes of the certificate's SAN directoryName, or empty when it has none. */
    public static Optional<TpmManufacturerInfo> fromEkCertificate(X509Certificate ek) {
        byte[] ext = ek.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (ext == null) {
            return Optional.empty();
        }
        try {
            String manufacturer = null;
            String model = null;
            String version = null;
            for (GeneralName name : GeneralNames.getInstance(TcgEkExtensionChecker.unwrap(ext)).getNames()) {
                if (name.getTagNo() != GeneralName.directoryName) {
                    continue;
                }
                for (RDN rdn : X500Name.getInstance(name.getName()).getRDNs()) {
                    for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                        ASN1ObjectIdentifier t = atv.getType();
                        String v = atv.getValue() instanceof ASN1String s ? s.getString() : atv.getValue().toString();
                        if (t.equals(TcgEkExtensionChecker.TPM_MANUFACTURER)) {
                            manufacturer = v;
                        } else if (t.equals(TcgEkExtensionChecker.TPM_MODEL)) {
                            model = v;
                        } else if (t.equals(TcgEkExtensionChecker.TPM_VERSION)) {
                            version = v;
                        }
                    }
                }
            }
            if (manufacturer == null && model == null && version == null) {
                return Optional.empty();
            }
            return Optional.of(new TpmManufacturerInfo(orEmpty(manufacturer), orEmpty(model), orEmpty(version)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
