package org.stationtrust.agent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stationtrust.sbi.client.DeviceTrustStore;

/**
 * The agent's configuration, loaded once from {@code agent.yaml} plus environment overrides and
 * validated as a whole (see {@code station-agent config check}). An instance is always valid: the
 * loader collects every bad key into {@link InvalidConfiguration} instead of building one.
 */
public record AgentConfig(
        Mode mode,
        Path stateDir,
        String machineName,
        Server server,
        Tpm tpm,
        Devices devices,
        Api api,
        Queue queue) {

    /** Production fails closed on every missing trust anchor; development says so loudly at each start. */
    public enum Mode { PRODUCTION, DEVELOPMENT }

    /**
     * The enrollment server. {@code url} is absent only in development mode (offline agent).
     * {@code publicKeyPins} are the server's public keys the agent trusts ({@link PublicKeyPin}: the current key and,
     * during a planned rotation, the next); empty only in development mode. {@code enrollmentRetry}: how an
     * enrollment whose answer did not arrive is sent again.
     */
    public record Server(Optional<URI> url, List<PublicKeyPin> publicKeyPins,
                         Optional<Secret> enrollmentToken, Duration timeout, Duration attestationInterval,
                         EnrollmentRetry enrollmentRetry) {
        public Server {
            Objects.requireNonNull(url);
            publicKeyPins = List.copyOf(publicKeyPins);
            Objects.requireNonNull(enrollmentToken);
            Objects.requireNonNull(enrollmentRetry);
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("server.timeout must be positive");
            if (attestationInterval.isNegative() || attestationInterval.isZero()) {
                throw new IllegalArgumentException("attestation interval must be positive");
            }
        }

        /** The same with the default enrollment retry ({@link EnrollmentRetry#DEFAULT}). */
        public Server(Optional<URI> url, List<PublicKeyPin> publicKeyPins, Optional<Secret> enrollmentToken,
                      Duration timeout, Duration attestationInterval) {
            this(url, publicKeyPins, enrollmentToken, timeout, attestationInterval, EnrollmentRetry.DEFAULT);
        }
    }

    /**
     * An enrollment whose answer did not arrive (timeout, connection reset, HTTP 5xx) is sent again, at most
     * {@code attempts} times in all, waiting from {@code initialBackoff} doubling up to {@code maxBackoff} (with
     * jitter) in between; a refusal (4xx) is final. The server answers a retry of the same enrollment with the same
     * pending enrollment (docs/server-api.md, "Enrollment").
     */
    public record EnrollmentRetry(int attempts, Duration initialBackoff, Duration maxBackoff) {
        public static final EnrollmentRetry DEFAULT = new EnrollmentRetry(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

        public EnrollmentRetry {
            if (attempts < 1 || attempts > 20) throw new IllegalArgumentException("enrollment attempts must be 1-20");
            if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("enrollment backoff must be positive with max >= initial");
            }
        }
    }

    /**
     * How to reach the TPM: {@code device:/dev/tpmrm0}, {@code tbs:} or {@code swtpm:127.0.0.1:PORT}; absent only in
     * development. {@code eventLog}: where the boot event log sent with quotes comes from: a file, {@code tbs} or
     * {@code none}.
     */
    public record Tpm(Optional<String> uri, List<Integer> pcrs, String eventLog) {
        public Tpm {
            Objects.requireNonNull(uri);
            pcrs = List.copyOf(pcrs);
            Objects.requireNonNull(eventLog);
        }

        /** The default event log: the unit's copy of the kernel's log, or TBS on Windows. */
        public Tpm(Optional<String> uri, List<Integer> pcrs) {
            this(uri, pcrs, uri.filter(u -> u.equals("tbs:")).map(u -> "tbs")
                    .orElse("/run/station-agent/binary_bios_measurements"));
        }
    }

    /**
     * SBI devices: the directory of trusted device-provider CA certificates (PEM), the port range to scan, the allowed
     * clock skew, the SBI environment, and the separate directory of trusted FTM-provider CA certificates (PEM) that the
     * chip key of an L1 device (signing its digitalId) must chain to; without it L1 devices are refused.
     */
    public record Devices(Optional<Path> trustStore, int firstPort, int lastPort, Duration allowedSkew, String environment,
                          Optional<Path> ftmTrustStore) {
        public Devices {
            Objects.requireNonNull(trustStore);
            Objects.requireNonNull(ftmTrustStore);
            if (firstPort < 1 || lastPort > 65535 || firstPort > lastPort) {
                throw new IllegalArgumentException("devices.ports must be an ascending range within 1-65535");
            }
            if (trustStore.isEmpty() && ftmTrustStore.isPresent()) {
                throw new IllegalArgumentException("devices.ftm_trust_store needs devices.trust_store: an L1 device is "
                        + "trusted through both");
            }
        }

        /** Without FTM-provider CAs: L1 devices are refused. */
        public Devices(Optional<Path> trustStore, int firstPort, int lastPort, Duration allowedSkew, String environment) {
            this(trustStore, firstPort, lastPort, allowedSkew, environment, Optional.empty());
        }

        /**
         * Reads the trust these settings name (the one place the agent builds it): the device-provider CAs, plus the
         * FTM-provider CAs when {@code ftmTrustStore} is set. Fails when {@code trustStore} is not set.
         */
        public DeviceTrustStore loadTrustStore() throws IOException {
            Path devices = trustStore.orElseThrow(() -> new IllegalStateException(
                    "no devices.trust_store configured: no device can be trusted"));
            DeviceTrustStore trust = DeviceTrustStore.fromPemDirectory(devices);
            try {
                return ftmTrustStore.isPresent() ? trust.withFtmProviderPemDirectory(ftmTrustStore.get()) : trust;
            } catch (IllegalArgumentException e) {
                throw new IOException("devices.ftm_trust_store " + ftmTrustStore.get() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The local API for the registration application; it always binds to 127.0.0.1. Port 0 picks a free port. */
    /**
     * The local API. {@code tokenGroup}: the group of the registration application, allowed to read the token file
     * (0640, and the state directory 0710 so the group can reach that one file but list nothing); none: 0600.
     */
    public record Api(int port, Optional<String> corsOrigin, int maxBodyBytes, Optional<String> tokenGroup) {
        public Api {
            Objects.requireNonNull(corsOrigin);
            Objects.requireNonNull(tokenGroup);
            if (port < 0 || port > 65535) throw new IllegalArgumentException("api.port must be within 0-65535");
        }

        public Api(int port, Optional<String> corsOrigin, int maxBodyBytes) {
            this(port, corsOrigin, maxBodyBytes, Optional.empty());
        }
    }

    /** Retry schedule of the offline queue: exponential backoff from {@code initialBackoff} up to {@code maxBackoff}. */
    public record Queue(Duration initialBackoff, Duration maxBackoff) {
        public Queue {
            if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("queue backoff must be positive and max >= initial");
            }
        }
    }

    /** A secret value that never prints itself. */
    public record Secret(String value) {
        public Secret {
            if (value == null || value.isEmpty()) throw new IllegalArgumentException("secret must not be empty");
        }

        @Override
        public String toString() {
            return "Secret[redacted]";
        }
    }

    public AgentConfig {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(stateDir);
        Objects.requireNonNull(machineName);
        Objects.requireNonNull(server);
        Objects.requireNonNull(tpm);
        Objects.requireNonNull(devices);
        Objects.requireNonNull(api);
        Objects.requireNonNull(queue);
    }

    public boolean development() {
        return mode == Mode.DEVELOPMENT;
    }
}
