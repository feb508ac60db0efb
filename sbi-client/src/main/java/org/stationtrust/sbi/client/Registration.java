package org.stationtrust.sbi.client;

import java.util.Objects;

/**
 * One person's registration session: carries the hash chain across its captures (docs/sbi-protocol.md "Hash
 * chain"). The first capture sends SHA-256(""); each verified capture moves the chain to its last
 * hash. A rejected capture leaves the chain where it was, so the operator can simply retry.
 * Thread-safe; captures of one registration are serialised.
 */
public final class Registration {
    private final SbiClient client;
    private HashChain chain = HashChain.start();
    private int captures;

    Registration(SbiClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Captures and verifies one modality; on success the chain advances. */
    public synchronized CaptureResult capture(Device device, CaptureRequest request) throws DeviceAnswerRejected {
        CaptureResult result = client.registrationCapture(device, request, chain);
        chain = HashChain.continueFrom(result.lastHash());
        captures++;
        return result;
    }

    /** The previousHash the next capture will send. */
    public synchronized String previousHash() {
        return chain.hex();
    }

    /** Verified captures so far. */
    public synchronized int captures() {
        return captures;
    }
}
