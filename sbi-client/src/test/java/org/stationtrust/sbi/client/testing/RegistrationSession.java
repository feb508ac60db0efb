package org.stationtrust.sbi.client.testing;

import org.stationtrust.sbi.client.CaptureRequest;
import org.stationtrust.sbi.client.CaptureResult;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.HashChain;
import org.stationtrust.sbi.client.SbiClient;

/**
 * What a caller of {@link SbiClient#registrationCapture} does for one person's registration, kept in memory for
 * the tests: the chain starts at SHA-256("") and moves to each verified capture's last hash; a rejected capture
 * leaves it where it was.
 */
public final class RegistrationSession {
    private final SbiClient client;
    private HashChain chain = HashChain.start();
    private int captures;

    public RegistrationSession(SbiClient client) {
        this.client = client;
    }

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
