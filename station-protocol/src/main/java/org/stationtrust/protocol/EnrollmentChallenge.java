package org.stationtrust.protocol;

/**
 * The answer to an enrollment ({@code 201}): the machine id, the credential challenge to the EK for the AK's
 * Name ({@code TPM2B_ID_OBJECT} and {@code TPM2B_ENCRYPTED_SECRET} contents) and the nonce of the first quote.
 */
public record EnrollmentChallenge(String machineId, EnrollmentState state, boolean ekVerified, String reenrollmentOf,
                                  String credentialBlob, String encryptedSecret, String quoteNonce) {
    public EnrollmentChallenge {
        Fields.requireId("machineId", machineId);
        if (state == null) throw new IllegalArgumentException("Field 'state' is required");
        Fields.require("credentialBlob", credentialBlob);
        Fields.require("encryptedSecret", encryptedSecret);
        Fields.require("quoteNonce", quoteNonce);
    }
}
