package org.stationtrust.server.internal.enroll;

import java.util.EnumSet;
import java.util.Set;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.tpm.verify.EccCurve;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.TpmPublic;

/** The key attributes the server insists on (docs/design.md, "Enrollment" step 1), checked in one place. */
public final class KeyRules {
    private static final int RESIDENT = TpmPublic.FIXED_TPM | TpmPublic.FIXED_PARENT | TpmPublic.SENSITIVE_DATA_ORIGIN;
    private static final Set<HashAlgorithm> STRONG_HASHES = EnumSet.of(HashAlgorithm.SHA256, HashAlgorithm.SHA384,
            HashAlgorithm.SHA512);

    private KeyRules() {
    }

    /**
     * AK: a restricted signing key generated in and bound to the TPM, whose own scheme signs with SHA-256, SHA-384 or
     * SHA-512 (a quote's PCR digest is taken with that hash too; SHA-1 is refused).
     */
    public static void requireAttestationKey(TpmPublic ak) {
        if (!ak.hasAttributes(RESIDENT | TpmPublic.RESTRICTED | TpmPublic.SIGN) || ak.isDecrypt()) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "The attestation key must be restricted, sign-only, "
                    + "fixedTPM, fixedParent and sensitiveDataOrigin; attributes were 0x"
                    + Integer.toHexString(ak.attributes()));
        }
        TpmPublic.Scheme scheme = ak.scheme();
        boolean signing = scheme.kind() == TpmPublic.SchemeKind.ECDSA || scheme.kind() == TpmPublic.SchemeKind.RSASSA
                || scheme.kind() == TpmPublic.SchemeKind.RSAPSS;
        if (!signing || scheme.hash().isEmpty() || !STRONG_HASHES.contains(scheme.hash().get())) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "The attestation key's scheme must be ECDSA, RSASSA "
                    + "or RSAPSS with SHA-256, SHA-384 or SHA-512 (e.g. tpm2_createak -g sha256); it was " + scheme.kind()
                    + scheme.hash().map(h -> "/" + h).orElse(""));
        }
    }

    /**
     * Machine key: a non-restricted ECC P-256 signing key that cannot leave the TPM, named with SHA-256 (its Name in
     * hex, 68 characters, is the enrollment signature's kid).
     */
    public static void requireMachineKey(TpmPublic key) {
        if (!(key.parameters() instanceof TpmPublic.EccParameters ecc) || ecc.curve() != EccCurve.NIST_P256) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "The machine key must be ECC P-256 (ES256)");
        }
        if (key.nameAlg() != HashAlgorithm.SHA256) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "The machine key's name algorithm must be SHA-256 "
                    + "(tpm2_create -g sha256): its Name is the enrollment signature's kid; it was " + key.nameAlg());
        }
        if (!key.hasAttributes(RESIDENT | TpmPublic.SIGN) || key.isRestricted() || key.isDecrypt()) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "The machine key must be a non-restricted "
                    + "sign-only key with fixedTPM, fixedParent and sensitiveDataOrigin; attributes were 0x"
                    + Integer.toHexString(key.attributes()));
        }
    }

    /** EK: a restricted decryption key (what MakeCredential needs). */
    public static void requireEndorsementKey(TpmPublic ek) {
        if (!ek.hasAttributes(TpmPublic.FIXED_TPM | TpmPublic.FIXED_PARENT | TpmPublic.RESTRICTED | TpmPublic.DECRYPT)
                || ek.isSign()) {
            throw new ApiException(ErrorCode.KEY_ATTRIBUTES_INVALID, "The EK must be a restricted decryption key with "
                    + "fixedTPM and fixedParent; attributes were 0x" + Integer.toHexString(ek.attributes()));
        }
    }
}
