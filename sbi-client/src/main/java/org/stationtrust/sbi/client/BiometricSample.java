package org.stationtrust.sbi.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One verified biometric from a capture answer. For registration {@code bioValue} is the ISO
 * 19794-4/-6/-5 record; for authentication it is the encrypted record ({@code encrypted} true, with
 * the session key and certificate thumbprint). {@code signedData} is the device's original JWS, kept
 * for the capture packet. {@link #toString()} never shows the biometric or the JWS.
 */
public record BiometricSample(Modality bioType, String bioSubType, byte[] bioValue, boolean encrypted,
                              Optional<String> sessionKey, Optional<String> thumbprint, double qualityScore,
                              Instant timestamp, String hash, String signedData) {
    public BiometricSample {
        Objects.requireNonNull(bioType, "bioType");
        Objects.requireNonNull(bioSubType, "bioSubType");
        bioValue = bioValue.clone();
        Objects.requireNonNull(sessionKey, "sessionKey");
        Objects.requireNonNull(thumbprint, "thumbprint");
        if (!(qualityScore >= 0 && qualityScore <= 100)) {
            throw new IllegalArgumentException("qualityScore must be 0-100, got " + qualityScore);
        }
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(signedData, "signedData");
    }

    @Override
    public byte[] bioValue() {
        return bioValue.clone();
    }

    @Override
    public String toString() {
        return "BiometricSample[" + bioType.wireName() + (bioSubType.isEmpty() ? "" : " " + bioSubType)
                + ", quality=" + qualityScore + ", bytes=" + bioValue.length + (encrypted ? ", encrypted" : "")
                + ", timestamp=" + timestamp + "]";
    }
}
