package org.stationtrust.ctk.internal.check;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.stationtrust.ctk.Profile;
import org.stationtrust.sbi.client.DeviceTrustStore;

/**
 * The thresholds checks judge against, set once per run from the command line.
 *
 * @param trustStore        the vendor's device-provider CA(s)
 * @param allowedAlgorithms JWS algorithms accepted (SBI default RS256)
 * @param allowedSkew       timestamp skew accepted in both directions
 * @param grace             how late after its timeout a device may answer
 * @param responseLimit     longest acceptable answer for verbs without a timeout (discovery, info)
 * @param harnessCertificate the certificate auth captures are encrypted to, when configured
 * @param profile           the rule book ({@link Profile#SPEC} or {@link Profile#MOSIP})
 * @param ftmTrust          L1 devices: the FTM provider CA(s) the chip key that signs digitalId chains to
 * @param organisation      the device provider's organisation, which the device certificate's O must name
 */
public record JudgingRules(
        DeviceTrustStore trustStore,
        Set<String> allowedAlgorithms,
        Duration allowedSkew,
        Duration grace,
        Duration responseLimit,
        Optional<X509Certificate> harnessCertificate,
        Clock clock,
        Profile profile,
        Optional<DeviceTrustStore> ftmTrust,
        Optional<String> organisation) {

    /** Rules of the {@link Profile#SPEC} profile. */
    public JudgingRules(DeviceTrustStore trustStore, Set<String> allowedAlgorithms, Duration allowedSkew, Duration grace,
                        Duration responseLimit, Optional<X509Certificate> harnessCertificate, Clock clock) {
        this(trustStore, allowedAlgorithms, allowedSkew, grace, responseLimit, harnessCertificate, clock, Profile.SPEC);
    }

    /** Rules without an FTM CA or organisation to check. */
    public JudgingRules(DeviceTrustStore trustStore, Set<String> allowedAlgorithms, Duration allowedSkew, Duration grace,
                        Duration responseLimit, Optional<X509Certificate> harnessCertificate, Clock clock, Profile profile) {
        this(trustStore, allowedAlgorithms, allowedSkew, grace, responseLimit, harnessCertificate, clock, profile,
                Optional.empty(), Optional.empty());
    }

    public boolean mosip() {
        return profile == Profile.MOSIP;
    }

    public JudgingRules {
        Objects.requireNonNull(trustStore, "trustStore");
        allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        if (allowedAlgorithms.isEmpty() || allowedAlgorithms.stream().anyMatch(a -> a.equalsIgnoreCase("none"))) {
            throw new IllegalArgumentException("allowed algorithms must be non-empty and never 'none'");
        }
        if (allowedSkew.isNegative() || allowedSkew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("allowed skew must be 0-60 min, was " + allowedSkew);
        }
        if (grace.isNegative() || responseLimit.isNegative() || responseLimit.isZero()) {
            throw new IllegalArgumentException("grace must be >= 0 and the response limit > 0");
        }
        Objects.requireNonNull(harnessCertificate, "harnessCertificate");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(ftmTrust, "ftmTrust");
        Objects.requireNonNull(organisation, "organisation");
    }
}
