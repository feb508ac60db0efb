package org.stationtrust.tpm.verify;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer over the TpmPublic, TpmSignature, Attestation and PCR selection parsers, QuoteVerifier,
 * CertifyVerifier, certificate parsing and MakeCredential: only TpmVerificationException may escape
 * (any other exception, or an out-of-memory, is a finding that fails the build). Runs for a few
 * seconds in the normal build (the tpm pom's fuzz execution sets JAZZER_FUZZ=1).
 */
class VerifyFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void onlyTypedVerificationErrorsEscape(FuzzedDataProvider data) {
        int target = data.consumeInt(0, MalformedInputHarness.TARGETS - 1);
        byte[] input;
        if (data.consumeBoolean()) {
            input = data.consumeRemainingAsBytes();
        } else {
            int count = data.consumeInt(1, 6);
            input = MalformedInputHarness.mutate(MalformedInputHarness.base(target),
                    bound -> bound <= 0 ? 0 : data.consumeInt(0, bound - 1), count);
        }
        MalformedInputHarness.exercise(target, input);
    }
}
