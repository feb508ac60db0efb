package org.stationtrust.tpm.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * An entry keeps the measured bytes and writes its text when read: the text is what the JDK's own certificate
 * parser and hex encoder give for those bytes, and equality follows the text (kind, fingerprint, subject, event).
 */
class SignatureEntryTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aCertificateShowsTheFingerprintAndSubjectTheJdkReadsFromItsDer() throws Exception {
        byte[] der = SyntheticBoot.certificate("CN=Station UEFI CA 2023,O=Station Trust Test,C=DE");
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        SignatureEntry e = SignatureEntry.certificate(der, 7);
        String fingerprint = HEX.formatHex(HashAlgorithm.SHA256.digest(der));
        assertEquals(SignatureEntry.Kind.X509, e.kind());
        assertEquals(fingerprint, e.sha256());
        assertEquals(parsed.getSubjectX500Principal().getName(X500Principal.RFC2253), e.subject());
        assertEquals(e.subject() + " (sha256 " + fingerprint + ")", e.describe());
        assertEquals(7, e.event());
        assertTrue(e.sha256Equals(HashAlgorithm.SHA256.digest(der)));
        assertFalse(e.sha256Equals(new byte[32]));
        assertEquals("SignatureEntry[kind=X509, sha256=" + fingerprint + ", subject=" + e.subject() + ", event=7]",
                e.toString());
    }

    @Test
    void aHashEntryIsItsHashAndOtherTypesAreNamedByTypeAndTheHashOfTheirData() {
        byte[] hash = HashAlgorithm.SHA256.digest("revoked grub".getBytes(StandardCharsets.US_ASCII));
        SignatureEntry h = SignatureEntry.sha256Hash(hash, 3);
        assertEquals(HEX.formatHex(hash), h.sha256());
        assertEquals("", h.subject());
        assertEquals("sha256 " + HEX.formatHex(hash), h.describe());
        assertTrue(h.sha256Equals(hash));
        byte[] data = "an RSA-2048 key".getBytes(StandardCharsets.US_ASCII);
        SignatureEntry o = SignatureEntry.other("3c5766e8-269c-4e34-aa14-ed776e85b3b6", data, 3);
        assertEquals(HEX.formatHex(HashAlgorithm.SHA256.digest(data)), o.sha256());
        assertEquals("type 3c5766e8-269c-4e34-aa14-ed776e85b3b6", o.subject());
        assertEquals("other " + o.sha256(), o.describe());
    }

    @Test
    void entriesAreEqualExactlyWhenTheirTextAndEventAre() throws Exception {
        byte[] der = SyntheticBoot.certificate("CN=Station KEK CA,O=Station Trust Test");
        byte[] hash = HashAlgorithm.SHA256.digest(der);
        SignatureEntry a = SignatureEntry.certificate(der, 4);
        SignatureEntry b = SignatureEntry.certificate(der.clone(), 4);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, SignatureEntry.certificate(der, 5)); // another event
        assertTrue(a.sameContent(SignatureEntry.certificate(der, 5)));
        // the hash entry of the certificate's fingerprint has the same sha256 text but is another kind
        SignatureEntry h = SignatureEntry.sha256Hash(hash, 4);
        assertEquals(a.sha256(), h.sha256());
        assertNotEquals(a, h);
        assertFalse(a.sameContent(h));
        SignatureEntry other = SignatureEntry.certificate(SyntheticBoot.certificate("CN=Another CA"), 4);
        assertNotEquals(a, other);
        assertNotEquals(a.sha256(), other.sha256());
        // two entries of other types with the same data describe alike but are not equal (their type differs)
        byte[] data = {1, 2, 3};
        SignatureEntry x = SignatureEntry.other("type-a", data, 1);
        SignatureEntry y = SignatureEntry.other("type-b", data, 1);
        assertEquals(x.describe(), y.describe());
        assertTrue(x.sameContent(y));
        assertNotEquals(x, y);
    }

    @Test
    void theBytesAreCopiedSoTheCallerCannotChangeAnEntry() throws Exception {
        byte[] hash = new byte[32];
        SignatureEntry h = SignatureEntry.sha256Hash(hash, 0);
        byte[] der = SyntheticBoot.certificate("CN=Station PK");
        SignatureEntry c = SignatureEntry.certificate(der, 0);
        String subject = new X500Principal("CN=Station PK").getName(X500Principal.RFC2253);
        String fingerprint = HEX.formatHex(HashAlgorithm.SHA256.digest(der));
        hash[0] = 1; // before anything was read from the entries
        java.util.Arrays.fill(der, (byte) 0);
        assertEquals("00".repeat(32), h.sha256());
        assertEquals(fingerprint, c.sha256());
        assertEquals(subject, c.subject());
    }
}
