package org.stationtrust.sbi.client.internal;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * The two JWS verifiers of a device's answers, one per partner domain: {@code deviceKeys} for what the device key signs
 * (device info, capture {@code data}, an L0 digitalId), chaining to the device-provider CAs; {@code ftmChipKeys} for an
 * L1 digitalId, signed by the FTM chip key and chaining to the FTM-provider CAs. Each keeps its own caches, so a JWS or
 * chain accepted in one domain is never taken as accepted in the other.
 */
public record DeviceVerifiers(DeviceJwsVerifier deviceKeys, DeviceJwsVerifier ftmChipKeys) {
    public DeviceVerifiers {
        Objects.requireNonNull(deviceKeys, "deviceKeys");
        Objects.requireNonNull(ftmChipKeys, "ftmChipKeys");
    }

    /** Both verifiers over one trust store's two anchor sets. */
    public static DeviceVerifiers of(DeviceTrustStore trust, Set<String> allowedAlgorithms, Clock clock) {
        return new DeviceVerifiers(new DeviceJwsVerifier(trust::check, allowedAlgorithms, clock),
                new DeviceJwsVerifier(trust::checkFtmChip, allowedAlgorithms, clock));
    }

    /**
     * The verifier for the digitalId of a device of this certification level (read from its signed device info):
     * L0 the device key's, L1 the FTM chip key's. Any other level cannot be judged and is refused.
     */
    public DeviceJwsVerifier forDigitalId(String certification, String what) throws DeviceAnswerRejected {
        return switch (certification) {
            case DeviceSigners.LEVEL_0 -> deviceKeys;
            case DeviceSigners.LEVEL_1 -> ftmChipKeys;
            default -> throw new DeviceAnswerRejected(RejectionReason.DIGITAL_ID_SIGNER_INVALID, "certification '"
                    + Redaction.deviceText(certification) + "' is neither L0 nor L1, so the signer of " + what
                    + " cannot be judged");
        };
    }
}
