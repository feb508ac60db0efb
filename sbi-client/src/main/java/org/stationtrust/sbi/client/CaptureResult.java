package org.stationtrust.sbi.client;

import java.util.List;
import java.util.Objects;

/**
 * A capture answer that passed every check. {@code lastHash} is the hash of the last sample, i.e. the
 * previousHash of the next capture of the same registration.
 */
public record CaptureResult(String transactionId, Device device, List<BiometricSample> samples, String lastHash) {
    public CaptureResult {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(device, "device");
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a capture result holds at least one sample");
        }
        Objects.requireNonNull(lastHash, "lastHash");
    }
}
