package org.stationtrust.tpm.eventlog.internal;

import java.io.IOException;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Certificate;
import org.stationtrust.tpm.eventlog.SignatureEntry;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * The subject and SHA-256 fingerprint of a DER certificate measured by the firmware. Only the
 * structure is read (BouncyCastle ASN.1, no signature check): the firmware, not us, decided to trust
 * it; we report which one it was.
 */
public final class Certificates {
    private Certificates() {
    }

    public static SignatureEntry entry(byte[] der, int eventIndex) {
        String fingerprint = HexFormat.of().formatHex(HashAlgorithm.SHA256.digest(der));
        return new SignatureEntry(SignatureEntry.Kind.X509, fingerprint, subject(der), eventIndex);
    }

    /** RFC 2253 subject, or "" when the bytes are not a certificate (the fingerprint still names them). */
    static String subject(byte[] der) {
        try {
            Certificate c = Certificate.getInstance(ASN1Primitive.fromByteArray(der));
            return new X500Principal(c.getSubject().getEncoded()).getName(X500Principal.RFC2253);
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            return "";
        }
    }
}
