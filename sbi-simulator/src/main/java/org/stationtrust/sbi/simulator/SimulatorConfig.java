package org.stationtrust.sbi.simulator;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one simulated device starts. Build with {@link #builder(DeviceKind)}; every field is checked
 * here so that an invalid configuration cannot exist.
 *
 * @param kind                  which device to play
 * @param portFrom              first port to try; {@code 0} (with portTo 0) means any free port
 * @param portTo                last port to try (inclusive); the first free port in the range is used
 * @param ca                    device-provider CA issuing the device certificate; empty = generate one
 * @param ftmCa                 FTM-provider CA issuing the FTM chip certificate of an L1 device, whose chip key signs
 *                              the digitalId (SBI 0.9.5 §Digital Id); empty = an L0 device (the device key signs it).
 *                              Any CA is accepted here, the device CA included, so tests can present bad chains
 * @param serialNumber          serialNo / deviceCode; empty = a random one
 * @param fault                 fault mode at start
 * @param status                device status at start
 * @param quality               qualityScore of captures, 0-100
 * @param biometricPresented    false = no finger/eye/face is presented: captures end with 101 at their timeout
 * @param encryptionCertificate certificate CAPTURE encrypts biometrics to; empty = CAPTURE answers 108
 * @param purpose               {@code Registration} or {@code Auth}
 * @param captureDelay          how long a capture takes when a biometric is presented
 * @param streamFrameInterval   pause between STREAM frames (at most 333 ms, i.e. at least 3 fps)
 * @param slowDripInterval      pause between bytes under {@link FaultMode#SLOW_DRIP}
 * @param oversizedBodyBytes    body size under {@link FaultMode#OVERSIZED_BODY}
 * @param closeConnections      answer with {@code Connection: close} and close, as deployed devices do
 * @param deviceKey             key and certificate to sign with at start; empty = issue one from the CA
 * @param format                how strictly the wire formats are followed ({@link SbiFormat#DEFAULT}: as before)
 * @param companions            other devices served on the same port (a service for several modalities)
 * @param wsqAuthFingers        authentication finger images WSQ-compressed (ISO/IEC 19794-4 compression 2),
 *                              which MOSIP accepts besides lossy JPEG 2000; registration stays lossless
 */
public record SimulatorConfig(
        DeviceKind kind,
        int portFrom,
        int portTo,
        Optional<DeviceProviderCa> ca,
        Optional<DeviceProviderCa> ftmCa,
        Optional<String> serialNumber,
        FaultMode fault,
        DeviceStatus status,
        int quality,
        boolean biometricPresented,
        Optional<X509Certificate> encryptionCertificate,
        String purpose,
        Duration captureDelay,
        Duration streamFrameInterval,
        Duration slowDripInterval,
        long oversizedBodyBytes,
        boolean closeConnections,
        Optional<DeviceKey> deviceKey,
        SbiFormat format,
        java.util.List<DeviceKind> companions,
        boolean wsqAuthFingers) {

    /** The SBI port range of SBI 0.9.5 §Device Discovery. */
    public static final int SBI_FIRST_PORT = 4501;
    public static final int SBI_LAST_PORT = 4600;

    public SimulatorConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(ftmCa, "ftmCa");
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(encryptionCertificate, "encryptionCertificate");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(captureDelay, "captureDelay");
        Objects.requireNonNull(streamFrameInterval, "streamFrameInterval");
        Objects.requireNonNull(slowDripInterval, "slowDripInterval");
        Objects.requireNonNull(deviceKey, "deviceKey");
        Objects.requireNonNull(format, "format");
        companions = java.util.List.copyOf(companions);
        if (companions.contains(kind) || companions.stream().distinct().count() != companions.size()) {
            throw new IllegalArgumentException("companions must be other kinds than " + kind + ", each once: " + companions);
        }
        if (portFrom < 0 || portTo > 65535 || portFrom > portTo || (portFrom == 0) != (portTo == 0)) {
            throw new IllegalArgumentException("Port range " + portFrom + "-" + portTo
                    + " is invalid; expected 0-0 (any free port) or 1 <= from <= to <= 65535");
        }
        if (quality < 0 || quality > 100) {
            throw new IllegalArgumentException("quality must be 0-100, was " + quality);
        }
        if (!purpose.equals("Registration") && !purpose.equals("Auth")) {
            throw new IllegalArgumentException("purpose must be Registration or Auth, was '" + purpose + "'");
        }
        if (captureDelay.isNegative() || captureDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("captureDelay must be 0-60 s, was " + captureDelay);
        }
        if (streamFrameInterval.toMillis() < 10 || streamFrameInterval.toMillis() > 333) {
            throw new IllegalArgumentException("streamFrameInterval must be 10-333 ms (>= 3 fps), was " + streamFrameInterval);
        }
        if (slowDripInterval.toMillis() < 1 || slowDripInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("slowDripInterval must be 1 ms - 60 s, was " + slowDripInterval);
        }
        if (oversizedBodyBytes < 1024 || oversizedBodyBytes > (1L << 34)) {
            throw new IllegalArgumentException("oversizedBodyBytes must be 1 KiB - 16 GiB, was " + oversizedBodyBytes);
        }
        encryptionCertificate.ifPresent(c -> {
            if (!"RSA".equals(c.getPublicKey().getAlgorithm())) {
                throw new IllegalArgumentException("encryptionCertificate must hold an RSA key, it holds "
                        + c.getPublicKey().getAlgorithm());
            }
        });
        serialNumber.ifPresent(s -> {
            if (!s.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("serialNumber must match [A-Za-z0-9._-]{1,64}, was '" + s + "'");
            }
        });
    }

    public static Builder builder(DeviceKind kind) {
        return new Builder(kind);
    }

    /** A builder initialised from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(kind);
        b.portFrom = portFrom;
        b.portTo = portTo;
        b.ca = ca.orElse(null);
        b.ftmCa = ftmCa.orElse(null);
        b.serialNumber = serialNumber.orElse(null);
        b.fault = fault;
        b.status = status;
        b.quality = quality;
        b.biometricPresented = biometricPresented;
        b.encryptionCertificate = encryptionCertificate.orElse(null);
        b.purpose = purpose;
        b.captureDelay = captureDelay;
        b.streamFrameInterval = streamFrameInterval;
        b.slowDripInterval = slowDripInterval;
        b.oversizedBodyBytes = oversizedBodyBytes;
        b.closeConnections = closeConnections;
        b.deviceKey = deviceKey.orElse(null);
        b.format = format;
        b.companions = companions;
        b.wsqAuthFingers = wsqAuthFingers;
        return b;
    }

    /** Builder with the defaults of a well-behaved device in the SBI port range. */
    public static final class Builder {
        private DeviceKind kind;
        private int portFrom = SBI_FIRST_PORT;
        private int portTo = SBI_LAST_PORT;
        private DeviceProviderCa ca;
        private DeviceProviderCa ftmCa;
        private String serialNumber;
        private FaultMode fault = FaultMode.NONE;
        private DeviceStatus status = DeviceStatus.READY;
        private int quality = 80;
        private boolean biometricPresented = true;
        private X509Certificate encryptionCertificate;
        private String purpose = "Registration";
        private Duration captureDelay = Duration.ZERO;
        private Duration streamFrameInterval = Duration.ofMillis(100);
        private Duration slowDripInterval = Duration.ofMillis(200);
        private long oversizedBodyBytes = 64L << 20;
        private boolean closeConnections = true;
        private DeviceKey deviceKey;
        private SbiFormat format = SbiFormat.DEFAULT;
        private java.util.List<DeviceKind> companions = java.util.List.of();
        private boolean wsqAuthFingers;

        private Builder(DeviceKind kind) {
            this.kind = kind;
        }

        public Builder kind(DeviceKind kind) { this.kind = kind; return this; }
        /** Exactly this port. */
        public Builder port(int port) { this.portFrom = port; this.portTo = port; return this; }
        /** Any free port chosen by the OS (for tests). */
        public Builder anyFreePort() { this.portFrom = 0; this.portTo = 0; return this; }
        /** The first free port in {@code from..to} (inclusive). */
        public Builder firstFreePortIn(int from, int to) { this.portFrom = from; this.portTo = to; return this; }
        public Builder ca(DeviceProviderCa ca) { this.ca = ca; return this; }
        /** An L1 device: an FTM chip key issued by {@code ftmCa} signs the digitalId; null = an L0 device. */
        public Builder ftmCa(DeviceProviderCa ftmCa) { this.ftmCa = ftmCa; return this; }
        public Builder serialNumber(String serialNumber) { this.serialNumber = serialNumber; return this; }
        public Builder fault(FaultMode fault) { this.fault = fault; return this; }
        public Builder status(DeviceStatus status) { this.status = status; return this; }
        public Builder quality(int quality) { this.quality = quality; return this; }
        public Builder biometricPresented(boolean presented) { this.biometricPresented = presented; return this; }
        public Builder encryptionCertificate(X509Certificate certificate) { this.encryptionCertificate = certificate; return this; }
        public Builder purpose(String purpose) { this.purpose = purpose; return this; }
        public Builder captureDelay(Duration delay) { this.captureDelay = delay; return this; }
        public Builder streamFrameInterval(Duration interval) { this.streamFrameInterval = interval; return this; }
        public Builder slowDripInterval(Duration interval) { this.slowDripInterval = interval; return this; }
        public Builder oversizedBodyBytes(long bytes) { this.oversizedBodyBytes = bytes; return this; }
        /** true (default): close the connection after each SBI answer; false: keep-alive. */
        public Builder closeConnections(boolean close) { this.closeConnections = close; return this; }
        /** Sign with this key and certificate instead of issuing a new one at start. */
        public Builder deviceKey(DeviceKey key) { this.deviceKey = key; return this; }
        /** How strictly the wire formats are followed (default {@link SbiFormat#DEFAULT}). */
        public Builder format(SbiFormat format) { this.format = format; return this; }
        /** Other devices this service lists and serves on the same port (each Ready, own serial and key). */
        public Builder companions(java.util.List<DeviceKind> kinds) { this.companions = kinds; return this; }

        /** true: authentication finger images are WSQ instead of JPEG 2000 lossy / raw. */
        public Builder wsqAuthFingers(boolean wsq) { this.wsqAuthFingers = wsq; return this; }

        public SimulatorConfig build() {
            return new SimulatorConfig(kind, portFrom, portTo, Optional.ofNullable(ca), Optional.ofNullable(ftmCa),
                    Optional.ofNullable(serialNumber),
                    fault, status, quality, biometricPresented, Optional.ofNullable(encryptionCertificate), purpose,
                    captureDelay, streamFrameInterval, slowDripInterval, oversizedBodyBytes, closeConnections,
                    Optional.ofNullable(deviceKey), format, companions, wsqAuthFingers);
        }
    }
}
