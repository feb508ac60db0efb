package org.stationtrust.tpm;

/**
 * A TPM2_Certify of the machine key by the AK: TPMS_ATTEST bytes and the AK's TPMT_SIGNATURE over
 * them (both without TPM2B size prefixes).
 */
public record KeyCertification(byte[] attest, byte[] signature) {
    public KeyCertification {
        if (attest == null || signature == null) {
            throw new IllegalArgumentException("a certification needs attest and signature bytes");
        }
        attest = attest.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] attest() {
        return attest.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
