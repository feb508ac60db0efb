package org.stationtrust.agent.internal.atrest;

/** Encrypts what the agent keeps on disk; {@code context} binds a ciphertext to its row (e.g. its idempotency key). */
public interface PayloadCipher {
    byte[] seal(byte[] plaintext, byte[] context);

    byte[] open(byte[] sealed, byte[] context) throws UnreadablePayload;

    /** A stored payload cannot be decrypted: wrong key (another TPM), or altered on disk. */
    final class UnreadablePayload extends Exception {
        private static final long serialVersionUID = 1L;

        public UnreadablePayload(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
