package org.stationtrust.tpm.verify;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import org.stationtrust.tpm.verify.internal.TpmConstants;

/**
 * Feeds arbitrary bytes to every entry point of the verify package. Only a TpmVerificationException
 * (or, for MakeCredential's caller-side arguments, nothing) may come out: an unchecked exception or
 * an error propagates and fails the calling test. Valid structures serve as bases to mutate, so that
 * mutations reach the deep checks and not just the first length field.
 */
final class MalformedInputHarness {
    static final int TARGETS = 9;
    static final byte[] NONCE = new byte[32];
    static final PcrValues PCRS = TpmStructures.pcrs(0, 1, 2, 3, 4, 5, 6, 7);
    static final TpmStructures.SoftwareAk AK;
    static final TpmPublic CERTIFIED;
    static final byte[] QUOTE;
    static final byte[] QUOTE_SIGNATURE;
    static final byte[] CERTIFY;
    static final byte[] CERTIFY_SIGNATURE;
    static final byte[] RSA_EK;
    static final byte[] EK_CERTIFICATE;
    static final EkCertificateValidator VALIDATOR;
    static final X509Certificate INTERMEDIATE;

    static {
        try {
            AK = TpmStructures.SoftwareAk.ecc(TpmStructures.AK_ATTRIBUTES);
            CERTIFIED = TpmPublic.parse(TpmStructures.eccPublic((ECPublicKey) TestPki.ec().getPublic(),
                    TpmPublic.SIGN | TpmPublic.FIXED_TPM, TpmConstants.ALG_ECDSA, false, new byte[0]));
            QUOTE = TpmStructures.quote(NONCE, TpmStructures.selection(0, 1, 2, 3, 4, 5, 6, 7), PCRS.digest());
            QUOTE_SIGNATURE = AK.sign(QUOTE);
            CERTIFY = TpmStructures.certify(NONCE, CERTIFIED.name());
            CERTIFY_SIGNATURE = AK.sign(CERTIFY);
            RSA_EK = TpmStructures.rsaPublic((RSAPublicKey) TestPki.rsa().getPublic(), TpmStructures.EK_ATTRIBUTES,
                    TpmConstants.ALG_NULL, true, TpmStructures.EK_POLICY);
            TestPki.Issued root = TestPki.root("Fuzz TPM Root");
            TestPki.Issued ca = TestPki.intermediate(root, "Fuzz EK CA", true,
                    org.bouncycastle.asn1.x509.KeyUsage.keyCertSign);
            INTERMEDIATE = ca.cert();
            EK_CERTIFICATE = new TestPki.Ek(TestPki.ec()).issuedBy(ca).getEncoded();
            VALIDATOR = new EkCertificateValidator(TrustAnchors.of(List.of(root.cert())));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private MalformedInputHarness() {
    }

    /** A valid input for target, to mutate. */
    static byte[] base(int target) {
        return switch (Math.floorMod(target, TARGETS)) {
            case 0 -> AK.pub().encoded();
            case 1, 5 -> QUOTE_SIGNATURE.clone();
            case 2, 4 -> QUOTE.clone();
            case 3 -> TpmStructures.selection(0, 1, 2, 3, 4, 5, 6, 7);
            case 6 -> CERTIFY.clone();
            case 7 -> EK_CERTIFICATE.clone();
            default -> RSA_EK.clone();
        };
    }

    /** Runs target on input; returns normally on acceptance or a typed rejection. */
    static void exercise(int target, byte[] input) {
        try {
            switch (Math.floorMod(target, TARGETS)) {
                case 0 -> {
                    TpmPublic p = TpmPublic.parse(input);
                    p.name();
                    p.toPublicKey();
                }
                case 1 -> {
                    TpmSignature s = TpmSignature.parse(input);
                    s.verify(AK.pub().toPublicKey(), QUOTE);
                    if (s.algorithm() == TpmSignature.Algorithm.ECDSA) {
                        s.toDer();
                        s.toJose();
                    }
                }
                case 2 -> Attestation.parse(input);
                case 3 -> PcrBankSelection.parseList(input);
                case 4 -> QuoteVerifier.verify(AK.pub(), input, QUOTE_SIGNATURE, NONCE, PCRS);
                case 5 -> QuoteVerifier.verify(AK.pub(), QUOTE, input, NONCE, PCRS);
                case 6 -> CertifyVerifier.verify(AK.pub(), input, CERTIFY_SIGNATURE, CERTIFIED, NONCE);
                case 7 -> {
                    X509Certificate c = EkCertificateValidator.parseCertificate(input);
                    TpmManufacturerInfo.fromEkCertificate(c);
                    VALIDATOR.validate(c, List.of(INTERMEDIATE));
                }
                default -> CredentialChallenge.make(TpmPublic.parse(input), AK.pub().name(), new byte[16]);
            }
        } catch (TpmVerificationException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("a rejection must say why", expected);
            }
        }
    }

    /** Applies count byte mutations chosen by the random source to a copy of base. */
    static byte[] mutate(byte[] base, java.util.function.IntUnaryOperator random, int count) {
        byte[] b = base.clone();
        for (int i = 0; i < count; i++) {
            switch (random.applyAsInt(5)) {
                case 0 -> {
                    if (b.length > 0) {
                        b[random.applyAsInt(b.length)] ^= (byte) (1 << random.applyAsInt(8));
                    }
                }
                case 1 -> {
                    if (b.length > 0) {
                        b[random.applyAsInt(b.length)] = (byte) random.applyAsInt(256);
                    }
                }
                case 2 -> b = Arrays.copyOf(b, random.applyAsInt(b.length + 1));
                case 3 -> {
                    byte[] longer = Arrays.copyOf(b, b.length + 1 + random.applyAsInt(8));
                    for (int j = b.length; j < longer.length; j++) {
                        longer[j] = (byte) random.applyAsInt(256);
                    }
                    b = longer;
                }
                default -> {
                    // a size-like field set to an extreme
                    if (b.length > 1) {
                        int at = random.applyAsInt(b.length - 1);
                        b[at] = (byte) 0xff;
                        b[at + 1] = (byte) (random.applyAsInt(2) == 0 ? 0xff : 0x00);
                    }
                }
            }
        }
        return b;
    }
}
