package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.verify.internal.TpmConstants;

/** Each check of CertifyVerifier, proven able to fail on its own. */
class CertifyVerifierTest {
    private static final byte[] QUALIFYING = {1, 2, 3, 4, 5, 6, 7, 8};
    private static TpmStructures.SoftwareAk ak;
    private static TpmPublic machineKey;
    private static byte[] attest;
    private static byte[] signature;

    @BeforeAll
    static void certify() throws Exception {
        ak = TpmStructures.SoftwareAk.ecc(TpmStructures.AK_ATTRIBUTES);
        machineKey = TpmPublic.parse(TpmStructures.eccPublic((ECPublicKey) TestPki.ec().getPublic(),
                TpmPublic.FIXED_TPM | TpmPublic.FIXED_PARENT | TpmPublic.SENSITIVE_DATA_ORIGIN | TpmPublic.USER_WITH_AUTH
                        | TpmPublic.SIGN, TpmConstants.ALG_ECDSA, false, new byte[0]));
        attest = TpmStructures.certify(QUALIFYING, machineKey.name());
        signature = ak.sign(attest);
    }

    @Test
    void acceptsACertificationOfThePresentedKey() throws Exception {
        VerifiedCertification v = CertifyVerifier.verify(ak.pub(), attest, signature, machineKey, QUALIFYING);
        assertEquals(machineKey, v.certifiedKey());
    }

    @Test
    void rejectsACertificationOfAnotherKey() throws Exception {
        TpmPublic other = TpmPublic.parse(TpmStructures.eccPublic((ECPublicKey) TestPki.ec().getPublic(),
                TpmPublic.SIGN, TpmConstants.ALG_ECDSA, false, new byte[0]));
        CertifiedNameMismatch e = assertThrows(CertifiedNameMismatch.class,
                () -> CertifyVerifier.verify(ak.pub(), attest, signature, other, QUALIFYING));
        assertTrue(e.getMessage().contains("not the key the TPM certified"), e.getMessage());
    }

    @Test
    void rejectsOtherQualifyingDataAQuoteAnotherSignerAndAnUnrestrictedSigner() throws Exception {
        assertThrows(NonceMismatch.class, () -> CertifyVerifier.verify(ak.pub(), attest, signature, machineKey,
                new byte[8]));
        byte[] quote = TpmStructures.quote(QUALIFYING, TpmStructures.selection(0), new byte[32]);
        assertThrows(NotACertification.class, () -> CertifyVerifier.verify(ak.pub(), quote, ak.sign(quote),
                machineKey, QUALIFYING));
        TpmStructures.SoftwareAk other = TpmStructures.SoftwareAk.ecc(TpmStructures.AK_ATTRIBUTES);
        assertThrows(CertifySignatureInvalid.class, () -> CertifyVerifier.verify(other.pub(), attest, signature,
                machineKey, QUALIFYING));
        assertThrows(UnsuitableAttestationKey.class, () -> CertifyVerifier.verify(machineKey, attest, signature,
                machineKey, QUALIFYING));
    }

    @Test
    void rejectsAnyFlippedByteInAttestOrSignature() {
        for (int i = 0; i < attest.length; i++) {
            byte[] bad = attest.clone();
            bad[i] ^= 0x04;
            assertThrows(TpmVerificationException.class, () -> CertifyVerifier.verify(ak.pub(), bad, signature,
                    machineKey, QUALIFYING), "attest byte " + i);
        }
        for (int i = 0; i < signature.length; i++) {
            byte[] bad = signature.clone();
            bad[i] ^= 0x04;
            assertThrows(TpmVerificationException.class, () -> CertifyVerifier.verify(ak.pub(), attest, bad,
                    machineKey, QUALIFYING), "signature byte " + i);
        }
    }
}
