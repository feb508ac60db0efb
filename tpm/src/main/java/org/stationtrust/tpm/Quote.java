package org.stationtrust.tpm;

import org.stationtrust.tpm.verify.QuotedPcrs;

/**
 * A TPM2_Quote as the TPM produced it: the TPMS_ATTEST bytes, the TPMT_SIGNATURE bytes over them
 * (both without TPM2B size prefixes), and the PCR values of each quoted bank read alongside (their digest
 * matches the quote).
 */
public record Quote(byte[] attest, byte[] signature, QuotedPcrs pcrs) {
    public Quote {
        if (attest == null || signature == null || pcrs == null) {
            throw new IllegalArgumentException("a quote needs attest, signature and PCR values");
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
