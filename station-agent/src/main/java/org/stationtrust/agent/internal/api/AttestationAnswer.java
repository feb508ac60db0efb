package org.stationtrust.agent.internal.api;

/** {@code POST /v1/attestations} (202): the attestation was requested; its result shows in the status. */
public record AttestationAnswer(String attestation) {
    public static AttestationAnswer requested() {
        return new AttestationAnswer("requested");
    }
}
