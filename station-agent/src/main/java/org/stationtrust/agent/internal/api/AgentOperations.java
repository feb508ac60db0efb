package org.stationtrust.agent.internal.api;

import java.io.OutputStream;
import java.util.Optional;

/** What the local API exposes; the running agent implements it. Every failure is an {@link ApiRefusal} with a reason. */
public interface AgentOperations {
    StatusAnswer status();

    DevicesAnswer devices() throws ApiRefusal;

    /** Captures, verifies and packs one modality; the order is the parsed request body. Each step is timed in {@code steps}. */
    CaptureAnswer capture(CaptureOrder order, CaptureSteps steps) throws ApiRefusal;

    /** A capture order was refused before reaching a device (no consent, malformed): audited with its code. */
    void orderRefused(String code);

    /** Writes the device preview to {@code out} as {@code multipart/x-mixed-replace} JPEG parts until it ends. */
    void stream(String deviceId, int deviceSubId, OutputStream out, String boundary) throws ApiRefusal;

    /** Enrolls the station now with an optional one-time token; answers the resulting state. */
    EnrollmentAnswer enroll(Optional<String> token) throws ApiRefusal;

    /** Asks for an attestation now; answers at once (the result shows in status). */
    AttestationAnswer attestNow() throws ApiRefusal;

    /** The agent's metrics in the Prometheus text format 0.0.4. */
    String metrics();

    /** Rotates the TPM machine key with the server; answers the new key id. */
    KeyRotationAnswer rotateKey() throws ApiRefusal;
}
