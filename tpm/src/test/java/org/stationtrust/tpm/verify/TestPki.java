package org.stationtrust.tpm.verify;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectDirectoryAttributes;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test CAs and EK certificates shaped like the TCG EK Credential Profile, made at run time. */
final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(1);

    record Issued(X509Certificate cert, KeyPair keys) {
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static Issued root(String cn) throws Exception {
        KeyPair keys = ec();
        X500Name name = new X500Name("CN=" + cn);
        X509v3CertificateBuilder b = builder(name, name, keys, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(3650)));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(sign(b, keys), keys);
    }

    static Issued intermediate(Issued issuer, String cn, boolean ca, int keyUsage) throws Exception {
        KeyPair keys = ec();
        X509v3CertificateBuilder b = builder(X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()),
                new X500Name("CN=" + cn), keys, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(3650)));
        b.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        return new Issued(sign(b, issuer.keys()), keys);
    }

    /** An EK certificate; each field defaults to what the TCG profile asks for. */
    static final class Ek {
        KeyPair keys;
        Instant notBefore = Instant.now().minus(Duration.ofDays(1));
        Instant notAfter = Instant.now().plus(Duration.ofDays(3650));
        boolean emptySubject = true;
        boolean extraDnsNameInSan;
        String tpmIdLabel;
        String nonTcgAttributeInSan;
        boolean criticalTpmSpecification = true;
        ASN1ObjectIdentifier unknownCriticalExtension;
        boolean ca;
        int keyUsage = -1;

        Ek(KeyPair keys) {
            this.keys = keys;
        }

        X509Certificate issuedBy(Issued issuer) throws Exception {
            X500Name subject = emptySubject ? new X500Name(new org.bouncycastle.asn1.x500.RDN[0])
                    : new X500Name("CN=ek");
            X509v3CertificateBuilder b = builder(X500Name.getInstance(issuer.cert().getSubjectX500Principal()
                    .getEncoded()), subject, keys, notBefore, notAfter);
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(new X500NameBuilder()
                    .addRDN(new ASN1ObjectIdentifier("2.23.133.2.1"), new DERUTF8String("id:53544D20"))
                    .addRDN(new ASN1ObjectIdentifier("2.23.133.2.2"), new DERUTF8String("TestModel"))
                    .addRDN(new ASN1ObjectIdentifier("2.23.133.2.3"), new DERUTF8String("id:00020008")).build()));
            if (tpmIdLabel != null || nonTcgAttributeInSan != null) {
                X500NameBuilder extra = new X500NameBuilder().addRDN(
                        new ASN1ObjectIdentifier("2.23.133.2.1"), new DERUTF8String("id:53544D20"));
                if (tpmIdLabel != null) {
                    extra.addRDN(new ASN1ObjectIdentifier("2.23.133.2.15"), new DERUTF8String(tpmIdLabel));
                }
                if (nonTcgAttributeInSan != null) {
                    extra.addRDN(new ASN1ObjectIdentifier("2.5.4.3"), new DERUTF8String(nonTcgAttributeInSan));
                }
                names.set(0, new GeneralName(extra.build()));
            }
            if (extraDnsNameInSan) {
                names.add(new GeneralName(GeneralName.dNSName, "attacker.example"));
            }
            b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names.toArray(GeneralName[]::new)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            int usage = keyUsage >= 0 ? keyUsage
                    : keys.getPublic().getAlgorithm().equals("RSA") ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.getInstance(new ASN1ObjectIdentifier("2.23.133.8.1"))));
            // TPM specification attribute (TCG EK profile §3.2.12): family "2.0", level 0, revision 164
            ASN1EncodableVector spec = new ASN1EncodableVector();
            spec.add(new DERUTF8String("2.0"));
            spec.add(new ASN1Integer(0));
            spec.add(new ASN1Integer(164));
            Attribute tpmSpec = new Attribute(new ASN1ObjectIdentifier("2.23.133.2.16"),
                    new DERSet(new DERSequence(spec)));
            java.util.Vector<Attribute> attrs = new java.util.Vector<>();
            attrs.add(tpmSpec);
            b.addExtension(Extension.subjectDirectoryAttributes, criticalTpmSpecification,
                    new SubjectDirectoryAttributes(attrs));
            if (unknownCriticalExtension != null) {
                b.addExtension(unknownCriticalExtension, true, (ASN1Encodable) new DERUTF8String("unknown"));
            }
            return sign(b, issuer.keys());
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant from,
            Instant to) {
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.getAndIncrement()),
                Date.from(from), Date.from(to), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        String alg = signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(alg).build(signer.getPrivate())));
    }

    private TestPki() {
    }
}
