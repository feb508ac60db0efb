package org.stationtrust.agent.internal.identity;

import java.security.PublicKey;

/** The TPM machine key as the agent uses it: sign bytes, get JOSE r||s. Counts its TPM operations. */
public interface MachineSigner {
    /** The server's machine id once enrolled, else a provisional id (the key's fingerprint). */
    String keyId();

    PublicKey publicKey();

    /** One TPM signature over {@code data}; ES256 JOSE form (64 bytes r||s). */
    byte[] signJose(byte[] data) throws SigningUnavailable;

    /** TPM signatures made so far (the packet path must cost exactly one). */
    long signatures();

    /** The TPM refused or could not be reached; the message says what to do. */
    final class SigningUnavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public SigningUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
