package org.stationtrust.sbi.client;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.stationtrust.sbi.client.internal.DeviceJwsVerifier;

/**
 * Validated client configuration. Defaults are the secure choice: RS256 only, ±5 min skew, 16 MiB
 * answer cap, 127.0.0.1 ports 4501-4600.
 *
 * @param discoveryDeadline  total deadline of one MOSIPDISC or MOSIPDINFO exchange
 * @param captureMargin      added to the capture timeout sent to the device to form the call deadline
 * @param maxAnswerBytes     hard cap on an answer body, enforced while reading
 * @param maxFrameBytes      hard cap on one STREAM frame
 */
public record SbiClientConfig(int firstPort, int lastPort, Duration discoveryDeadline, Duration captureMargin,
                              long maxAnswerBytes, int maxFrameBytes, DeviceTrustStore trustStore,
                              Set<String> allowedAlgorithms, Duration allowedSkew, String env, Clock clock,
                              int discoveryThreads) {
    public static final int DEFAULT_FIRST_PORT = 4501;
    public static final int DEFAULT_LAST_PORT = 4600;
    public static final long DEFAULT_MAX_ANSWER_BYTES = 16L * 1024 * 1024;

    public SbiClientConfig {
        if (firstPort < 1 || lastPort > 65535 || firstPort > lastPort) {
            throw new IllegalArgumentException("port range " + firstPort + "-" + lastPort
                    + " is invalid; SBI devices use 4501-4600");
        }
        requirePositive(discoveryDeadline, "discoveryDeadline");
        requirePositive(captureMargin, "captureMargin");
        if (maxAnswerBytes < 1024 || maxAnswerBytes > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("maxAnswerBytes " + maxAnswerBytes + " must be between 1 KiB and 1 GiB");
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > maxAnswerBytes) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes
                    + " must be between 1 KiB and maxAnswerBytes");
        }
        Objects.requireNonNull(trustStore, "trustStore: configure the device-provider CAs to trust");
        allowedAlgorithms = DeviceJwsVerifier.checkedAlgorithms(allowedAlgorithms);
        requirePositive(allowedSkew, "allowedSkew");
        if (allowedSkew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("allowedSkew " + allowedSkew + " is over one hour: replays would pass");
        }
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(clock, "clock");
        if (discoveryThreads < 1 || discoveryThreads > 256) {
            throw new IllegalArgumentException("discoveryThreads must be 1-256, got " + discoveryThreads);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    public static Builder builder(DeviceTrustStore trustStore) {
        return new Builder(trustStore);
    }

    /** Builder with the secure defaults. */
    public static final class Builder {
        private int firstPort = DEFAULT_FIRST_PORT;
        private int lastPort = DEFAULT_LAST_PORT;
        private Duration discoveryDeadline = Duration.ofMillis(1500);
        private Duration captureMargin = Duration.ofSeconds(5);
        private long maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES;
        private int maxFrameBytes = 4 * 1024 * 1024;
        private final DeviceTrustStore trustStore;
        private Set<String> allowedAlgorithms = Set.of("RS256");
        private Duration allowedSkew = Duration.ofMinutes(5);
        private String env = "Staging";
        private Clock clock = Clock.systemUTC();
        private int discoveryThreads = 32;

        private Builder(DeviceTrustStore trustStore) {
            this.trustStore = trustStore;
        }

        public Builder ports(int first, int last) {
            this.firstPort = first;
            this.lastPort = last;
            return this;
        }

        public Builder discoveryDeadline(Duration d) {
            this.discoveryDeadline = d;
            return this;
        }

        public Builder captureMargin(Duration d) {
            this.captureMargin = d;
            return this;
        }

        public Builder maxAnswerBytes(long bytes) {
            this.maxAnswerBytes = bytes;
            return this;
        }

        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        public Builder allowedAlgorithms(Set<String> algorithms) {
            this.allowedAlgorithms = algorithms;
            return this;
        }

        public Builder allowedSkew(Duration skew) {
            this.allowedSkew = skew;
            return this;
        }

        public Builder env(String value) {
            this.env = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder discoveryThreads(int threads) {
            this.discoveryThreads = threads;
            return this;
        }

        public SbiClientConfig build() {
            return new SbiClientConfig(firstPort, lastPort, discoveryDeadline, captureMargin, maxAnswerBytes,
                    maxFrameBytes, trustStore, allowedAlgorithms, allowedSkew, env, clock, discoveryThreads);
        }
    }
}
