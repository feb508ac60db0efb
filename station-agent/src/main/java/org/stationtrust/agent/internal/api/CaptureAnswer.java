package org.stationtrust.agent.internal.api;

import java.util.List;

/**
 * {@code POST /v1/captures}: the verified biometrics ({@code bioValue} base64url), where the registration's hash chain
 * stood before and after, and the signed packet (compact JWS).
 */
public record CaptureAnswer(String packetId, String transactionId, String deviceId, String previousHash, String lastHash,
                            List<Biometric> biometrics, String packet) {
    public CaptureAnswer {
        biometrics = List.copyOf(biometrics);
    }

    /** One verified sample. */
    public record Biometric(String bioType, String bioSubType, double qualityScore, String hash, String bioValue) {
    }
}
