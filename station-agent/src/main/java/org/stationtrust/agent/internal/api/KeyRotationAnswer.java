package org.stationtrust.agent.internal.api;

/** {@code POST /v1/key-rotation}: the key id the agent signs with now and the new machine key's TPM Name (hex). */
public record KeyRotationAnswer(String keyId, String machineKeyName) {
}
