package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The payload of a {@link JwsType#CAPTURE_PACKET} (version 1): who captured what, on which device, under which
 * consent, and the device's own signed answers ({@code data}) so a reader can re-check them. Every field is
 * required and checked here; a packet that does not pass cannot exist.
 */
public record CapturePacket(@JsonProperty(value = "type", required = true) String type,
                            @JsonProperty(value = "version", required = true) int version,
                            @JsonProperty(value = "packetId", required = true) String packetId,
                            @JsonProperty(value = "machineId", required = true) String machineId,
                            @JsonProperty(value = "machineName", required = true) String machineName,
                            @JsonProperty(value = "registrationId", required = true) String registrationId,
                            @JsonProperty(value = "consentReference", required = true) String consentReference,
                            @JsonProperty(value = "operator", required = true) String operator,
                            @JsonProperty(value = "createdAt", required = true) String createdAt,
                            @JsonProperty(value = "modality", required = true) String modality,
                            @JsonProperty(value = "deviceSubId", required = true) int deviceSubId,
                            @JsonProperty(value = "transactionId", required = true) String transactionId,
                            @JsonProperty(value = "previousHash", required = true) String previousHash,
                            @JsonProperty(value = "lastHash", required = true) String lastHash,
                            @JsonProperty(value = "exceptions", required = true) List<String> exceptions,
                            @JsonProperty(value = "device", required = true) Device device,
                            @JsonProperty(value = "biometrics", required = true) List<Biometric> biometrics) {
    public static final String TYPE = "capture-packet";
    public static final int VERSION = 1;
    private static final int MAX_BIOMETRICS = 10;
    private static final Set<String> MODALITIES = Set.of("Finger", "Iris", "Face");
    private static final Pattern HASH = Pattern.compile("[0-9A-Fa-f]{64}");
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Pattern OPERATOR = Pattern.compile("[A-Za-z0-9._@-]{0,64}");

    /** The capturing device as discovery and its verified device info described it. */
    public record Device(@JsonProperty(value = "deviceId", required = true) String deviceId,
                         @JsonProperty(value = "serialNo", required = true) String serialNo,
                         @JsonProperty(value = "make", required = true) String make,
                         @JsonProperty(value = "model", required = true) String model,
                         @JsonProperty(value = "provider", required = true) String provider,
                         @JsonProperty(value = "deviceCode", required = true) String deviceCode,
                         @JsonProperty(value = "certification", required = true) String certification,
                         @JsonProperty(value = "firmware", required = true) String firmware,
                         @JsonInclude(JsonInclude.Include.NON_NULL)
                         @JsonProperty("certificateSha256") String certificateSha256) {
        public Device {
            Fields.requireText("device.deviceId", deviceId, 256);
            for (String f : new String[] {serialNo, make, model, provider, deviceCode, certification, firmware}) {
                if (f == null || f.length() > 256) {
                    throw new IllegalArgumentException("device fields are strings of at most 256 characters");
                }
            }
            if (certificateSha256 != null && !HASH.matcher(certificateSha256).matches()) {
                throw new IllegalArgumentException("device.certificateSha256 must be 64 hex characters");
            }
        }
    }

    /** One verified sample: its SBI fields, its chain hash and the device's signed answer for it. */
    public record Biometric(@JsonProperty(value = "bioType", required = true) String bioType,
                            @JsonProperty(value = "bioSubType", required = true) String bioSubType,
                            @JsonProperty(value = "qualityScore", required = true) double qualityScore,
                            @JsonProperty(value = "requestedScore", required = true) int requestedScore,
                            @JsonProperty(value = "timestamp", required = true) String timestamp,
                            @JsonProperty(value = "hash", required = true) String hash,
                            @JsonProperty(value = "data", required = true) String data) {
        public Biometric {
            if (!MODALITIES.contains(bioType)) {
                throw new IllegalArgumentException("biometrics.bioType must be Finger, Iris or Face");
            }
            if (bioSubType == null || bioSubType.length() > 32) {
                throw new IllegalArgumentException("biometrics.bioSubType must be a string of at most 32 characters");
            }
            if (!(qualityScore >= 0 && qualityScore <= 100) || requestedScore < 0 || requestedScore > 100) {
                throw new IllegalArgumentException("biometrics.qualityScore and requestedScore must be 0-100");
            }
            requireInstant("biometrics.timestamp", timestamp);
            requireHash("biometrics.hash", hash);
            if (data == null || data.isEmpty() || data.chars().filter(c -> c == '.').count() != 2) {
                throw new IllegalArgumentException("biometrics.data must be the device's signed answer (a compact JWS)");
            }
        }
    }

    public CapturePacket {
        if (!TYPE.equals(type)) throw new IllegalArgumentException("type must be '" + TYPE + "'");
        if (version != VERSION) throw new IllegalArgumentException("version must be " + VERSION + ", was " + version);
        Fields.requireId("packetId", packetId);
        if (machineId == null || !Fields.KID.matcher(machineId).matches()) {
            throw new IllegalArgumentException("Field 'machineId' must be the signer's kid (1-80 of A-Z a-z 0-9 _ -)");
        }
        Fields.requireText("machineName", machineName, 128);
        requireMatch("registrationId", registrationId, REFERENCE);
        requireMatch("consentReference", consentReference, REFERENCE);
        requireMatch("operator", operator, OPERATOR);
        requireInstant("createdAt", createdAt);
        if (!MODALITIES.contains(modality)) throw new IllegalArgumentException("modality must be Finger, Iris or Face");
        if (deviceSubId < 0 || deviceSubId > 3) throw new IllegalArgumentException("deviceSubId must be 0-3");
        Fields.requireText("transactionId", transactionId, 128);
        requireHash("previousHash", previousHash);
        requireHash("lastHash", lastHash);
        if (exceptions == null || exceptions.size() > 10 || exceptions.stream().anyMatch(e -> e == null || e.length() > 32)) {
            throw new IllegalArgumentException("exceptions must be at most 10 bioSubType names");
        }
        exceptions = List.copyOf(exceptions);
        if (device == null) throw new IllegalArgumentException("device is required");
        if (biometrics == null || biometrics.isEmpty() || biometrics.size() > MAX_BIOMETRICS
                || biometrics.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("biometrics must hold 1-" + MAX_BIOMETRICS + " samples");
        }
        biometrics = List.copyOf(biometrics);
    }

    /** Reads a packet payload strictly (unknown fields, wrong types and trailing data refused). */
    public static CapturePacket parse(byte[] payload) throws InvalidCapturePacket {
        try {
            CapturePacket p = WireJson.strict().readValue(payload, CapturePacket.class);
            if (p == null) throw new InvalidCapturePacket("the payload is JSON null, not a capture packet");
            return p;
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            throw new InvalidCapturePacket("the payload is not a valid capture packet: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidCapturePacket("the payload is not a capture packet (JSON object of version " + VERSION
                    + "): " + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException e) {
            throw new InvalidCapturePacket("the payload could not be read");
        }
    }

    /** The payload bytes to sign. */
    public byte[] toJson() {
        try {
            return WireJson.strict().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a capture packet", e);
        }
    }

    private static void requireMatch(String field, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("Field '" + field + "' does not match " + pattern.pattern());
        }
    }

    private static void requireHash(String field, String value) {
        if (value == null || !HASH.matcher(value).matches()) {
            throw new IllegalArgumentException("Field '" + field + "' must be 64 hex characters (SHA-256)");
        }
    }

    private static void requireInstant(String field, String value) {
        try {
            if (value == null || value.length() > 40) throw new DateTimeParseException("", "", 0);
            Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Field '" + field + "' must be an ISO-8601 instant");
        }
    }
}
