package org.stationtrust.agent.internal.identity;

/**
 * Counts the agent's calls into the TPM per thread, so a request can tell how many TPM operations its own path
 * made while other threads (attestation, delivery signatures) use the TPM at the same time. A machine-key
 * signature is one call (one TPM2_Sign command).
 */
public final class TpmCallCounter {
    private static final ThreadLocal<long[]> ON_THREAD = ThreadLocal.withInitial(() -> new long[1]);

    private TpmCallCounter() {
    }

    /** One call into the TPM is about to be made on this thread. */
    public static void record() {
        ON_THREAD.get()[0]++;
    }

    /** Calls made on this thread so far. */
    public static long onThisThread() {
        return ON_THREAD.get()[0];
    }
}
