package org.stationtrust.tpm.verify;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a TPM2_Certify result (TPM 2.0 Part 3 §18.2) in software: the attestation key signed a
 * TPMS_ATTEST of type certify whose certified Name is the Name of the key presented.
 */
public final class CertifyVerifier {
    private CertifyVerifier() {
    }

    public static VerifiedCertification verify(TpmPublic ak, byte[] attest, byte[] signature,
            TpmPublic certifiedKey, byte[] expectedExtraData) throws TpmVerificationException {
        Objects.requireNonNull(certifiedKey, "certifiedKey");
        Objects.requireNonNull(expectedExtraData, "expectedExtraData");
        AttestationKeyCheck.requireRestrictedSigningKey(ak);
        TpmSignature sig = TpmSignature.parse(signature);
        Attestation attestation = Attestation.parse(attest);
        Optional<String> problem = AttestationKeyCheck.signatureProblem(ak, sig, attestation.encoded());
        if (problem.isPresent()) {
            throw new CertifySignatureInvalid("certification signature invalid: " + problem.get()
                    + "; the certification was altered or made by another key: reject it");
        }
        if (!attestation.isTpmGenerated()) {
            throw new NotTpmGenerated("expected magic TPM_GENERATED_VALUE 0xff544347, got 0x"
                    + Long.toHexString(attestation.magic()) + "; the data was not produced by a TPM");
        }
        Attestation.CertifyInfo info = attestation.certify().orElseThrow(() -> new NotACertification(
                "expected a TPM_ST_ATTEST_CERTIFY (0x8017) attestation, got " + attestation.type()
                        + "; ask the agent for TPM2_Certify output"));
        if (!MessageDigest.isEqual(attestation.extraData(), expectedExtraData)) {
            throw new NonceMismatch("the certification's extraData is not the qualifying data expected ("
                    + attestation.extraData().length + " bytes seen, " + expectedExtraData.length
                    + " expected); it answers another request: certify again with the expected data");
        }
        byte[] expectedName = certifiedKey.name();
        if (!MessageDigest.isEqual(info.name(), expectedName)) {
            throw new CertifiedNameMismatch("the certification is for Name " + HexFormat.of().formatHex(info.name())
                    + " but the key presented has Name " + HexFormat.of().formatHex(expectedName)
                    + "; the public area sent is not the key the TPM certified");
        }
        return new VerifiedCertification(attestation, certifiedKey);
    }
}
