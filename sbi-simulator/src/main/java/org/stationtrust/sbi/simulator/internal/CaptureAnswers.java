package org.stationtrust.sbi.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceStatus;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SbiFormat;

/**
 * RCAPTURE and CAPTURE (SBI 0.9.5 §Capture, §Registration Capture): validates the request, waits
 * like a sensor, builds ISO records, chains their hashes and signs each element. Capture-level
 * fault modes are applied here.
 */
public final class CaptureAnswers {
    private static final JsonLog LOG = new JsonLog(CaptureAnswers.class);

    private final DeviceProfile profile;
    private final DeviceState state;
    private final DeviceSigner signer;
    private final long captureDelayMillis;
    private final SbiFormat format;
    private final boolean wsqAuthFingers;

    public CaptureAnswers(DeviceProfile profile, DeviceState state, DeviceSigner signer, long captureDelayMillis,
                          SbiFormat format, boolean wsqAuthFingers) {
        this.format = format;
        this.wsqAuthFingers = wsqAuthFingers;
        this.profile = profile;
        this.state = state;
        this.signer = signer;
        this.captureDelayMillis = captureDelayMillis;
    }

    /** Answers a capture; SBI errors come back as HTTP 200 with an error element, never as an exception. */
    public ObjectNode capture(byte[] body, boolean authentication) {
        String verb = authentication ? "CAPTURE" : "RCAPTURE";
        String transactionId = "-";
        try {
            checkStatus();
            CaptureRequest req = CaptureRequest.parse(body);
            transactionId = req.transactionId();
            List<String> subTypes = validate(req, authentication);
            if (!state.firstUseOf(req.transactionId())) {
                throw new DeviceError(DeviceError.INVALID_TRANSACTION_ID,
                        "transactionId " + req.transactionId() + " was already used; send a new one per request");
            }
            if (state.fault() == FaultMode.BUSY || !state.startCapture()) {
                throw new DeviceError(DeviceError.BUSY, "Device is busy with another capture");
            }
            ObjectNode answer = onSensor(req, subTypes, authentication);
            LOG.info("capture.answered", "verb", verb, "serial", profile.serialNo(), "transactionId", transactionId,
                    "deviceSubId", req.deviceSubId(), "result", 0, "elements", answer.get("biometrics").size(),
                    "fault", state.fault());
            return answer;
        } catch (DeviceError e) {
            LOG.info("capture.refused", "verb", verb, "serial", profile.serialNo(), "transactionId", transactionId,
                    "result", e.code(), "info", e.info());
            return errorAnswer(e, format);
        }
    }

    /** Holds the sensor (claimed by the caller) while the capture runs, then releases it. */
    private ObjectNode onSensor(CaptureRequest req, List<String> subTypes, boolean authentication) throws DeviceError {
        try {
            boolean ignoresTimeout = state.fault() == FaultMode.IGNORES_TIMEOUT;
            if (!state.biometricPresented()) {
                state.sleepUnlessClosed(ignoresTimeout ? 0 : req.timeout().toMillis());
                throw new DeviceError(DeviceError.NO_BIOMETRIC,
                        "No biometric object was detected before the timeout of " + req.timeout().toMillis() + " ms");
            }
            long start = System.nanoTime();
            if (captureDelayMillis > 0) {
                state.sleepUnlessClosed(captureDelayMillis);
            }
            ObjectNode answer = elements(req, subTypes, authentication);
            if (format.followsSpecTiming() && !ignoresTimeout && state.quality() < req.requestedScore()) {
                // SBI 0.9.5 §Capture: the device keeps trying until the requested score or the timeout,
                // then returns its best frame (encoded already, so the answer leaves at the timeout).
                long spent = (System.nanoTime() - start) / 1_000_000;
                state.sleepUnlessClosed(Math.max(0, req.timeout().toMillis() - spent));
            }
            return answer;
        } finally {
            state.endCapture(req.deviceSubId());
        }
    }

    private void checkStatus() throws DeviceError {
        DeviceStatus s = state.status();
        switch (s) {
            case NOT_REGISTERED -> throw new DeviceError(DeviceError.NOT_REGISTERED, "Device not registered");
            case NOT_READY -> throw new DeviceError(DeviceError.NOT_READY, "Device not ready");
            case BUSY -> throw new DeviceError(DeviceError.BUSY, "Device busy");
            default -> { }
        }
    }

    private List<String> validate(CaptureRequest req, boolean authentication) throws DeviceError {
        DeviceKind kind = profile.kind();
        if (!kind.bioType().equals(req.bioType())) {
            throw new DeviceError(DeviceError.DEVICE_NOT_FOUND, "This device captures " + kind.bioType()
                    + ", the request asks for '" + req.bioType() + "'");
        }
        if (!kind.deviceId().equals(req.deviceId()) || !kind.deviceSubIds().contains(req.deviceSubId())) {
            throw new DeviceError(DeviceError.DEVICE_NOT_FOUND, "No device with deviceId " + req.deviceId()
                    + " and deviceSubId " + req.deviceSubId() + "; this service has deviceId " + kind.deviceId()
                    + " with deviceSubIds " + kind.deviceSubIds());
        }
        if (authentication && state.encryptionCertificate() == null) {
            throw new DeviceError(DeviceError.DOMAIN_KEY_MISSING,
                    "No encryption certificate is configured for authentication captures");
        }
        return SensorLayout.select(kind, req.deviceSubId(), req.bioSubTypes(), req.exceptions(), req.count(),
                !authentication);
    }

    /** What every element of one capture answer shares, faults applied. */
    private record Capture(CaptureRequest request, boolean authentication, FaultMode fault, Instant at,
                           String timestamp, int quality, String echoedTransactionId, String digitalId,
                           X509Certificate serverCertificate) {
    }

    private ObjectNode elements(CaptureRequest req, List<String> subTypes, boolean authentication) {
        FaultMode fault = state.fault();
        Instant now = Instant.now();
        Instant claimed = now.plus(DeviceAnswers.timestampShift(fault));
        DeviceProfile shown = fault == FaultMode.FOREIGN_DIGITAL_ID ? profile.foreign() : profile;
        Capture c = new Capture(req, authentication, fault, now, DeviceAnswers.timestamp(claimed, fault),
                fault == FaultMode.LOW_QUALITY ? Math.max(0, req.requestedScore() - 25) : state.quality(),
                fault == FaultMode.WRONG_TRANSACTION_ID ? "other-" + UUID.randomUUID() : req.transactionId(),
                signer.signDigitalId(DeviceAnswers.json(DeviceAnswers.signedDigitalId(shown, claimed, fault)), fault),
                state.encryptionCertificate());
        boolean exceptionPhoto = profile.kind() == DeviceKind.FACE && !req.exceptions().isEmpty();

        // SBI 0.9.5 hash chain: hash = SHA-256(previous hash bytes || SHA-256(ISO record)).
        byte[] previous = fault == FaultMode.BROKEN_HASH_CHAIN ? new byte[32] : req.previousHash();
        ObjectNode answer = Wire.JSON.createObjectNode();
        ArrayNode biometrics = answer.putArray("biometrics");
        List<String> reported = misreport(subTypes, req.deviceSubId(), fault);
        long seed = req.transactionId().hashCode();
        for (int i = 0; i < reported.size(); i++) {
            byte[] iso = isoRecord(reported.get(i), c.quality(), c.at(), seed + i, exceptionPhoto, authentication);
            byte[] hash = Wire.sha256(previous, Wire.sha256(iso));
            previous = hash;
            biometrics.add(element(c, reported.get(i), iso, hash));
        }
        return answer;
    }

    private ObjectNode element(Capture c, String subType, byte[] iso, byte[] hash) {
        AuthEncryption.Encrypted enc = c.authentication()
                ? AuthEncryption.encrypt(c.serverCertificate(), iso, c.timestamp(), c.echoedTransactionId()) : null;
        ObjectNode data = Wire.JSON.createObjectNode();
        data.put("digitalId", c.digitalId());
        data.put("deviceCode", profile.serialNo());
        data.put("deviceServiceVersion", Wire.SERVICE_VERSION);
        data.put("bioType", profile.kind().bioType());
        if (!subType.equals(SensorLayout.FACE)) {
            data.put("bioSubType", subType);
        }
        data.put("purpose", c.authentication() ? "Auth" : "Registration");
        data.put("env", c.request().env());
        boolean loose = format == SbiFormat.LOOSE;
        if (c.authentication() && !loose) {
            data.put("domainUri", c.request().domainUri());
        }
        data.put("bioValue", enc != null ? enc.bioValue() : Wire.base64Url(iso));
        data.put("transactionId", c.echoedTransactionId());
        data.put("timestamp", c.timestamp());
        if (loose) {
            // Numbers where MOSIP's schema wants strings, and a property its schema does not allow.
            data.put("requestedScore", c.request().requestedScore());
            data.put("qualityScore", c.quality());
            data.put("vendorNote", "simulated");
        } else {
            data.put("requestedScore", String.valueOf(c.request().requestedScore()));
            data.put("qualityScore", String.valueOf(c.quality()));
        }

        ObjectNode element = Wire.JSON.createObjectNode();
        element.put("specVersion", Wire.SPEC_VERSION);
        element.put("data", signer.sign(data.toString().getBytes(StandardCharsets.UTF_8), c.fault()));
        element.put("hash", loose ? Wire.upperHex(hash).toLowerCase(java.util.Locale.ROOT) : Wire.upperHex(hash));
        if (enc != null) {
            element.put("sessionKey", enc.sessionKey());
            element.put("thumbprint", enc.thumbprint());
        }
        if (loose) {
            DeviceAnswers.error(element, "0", ""); // a string, but empty: MOSIP's schema wants it non-empty
        } else {
            DeviceAnswers.error(element, "0", "Success");
        }
        return element;
    }

    /** Applies the bioSubType / count faults to the list of subtypes the answer reports. */
    private List<String> misreport(List<String> subTypes, int deviceSubId, FaultMode fault) {
        List<String> out = new ArrayList<>(subTypes);
        switch (fault) {
            case WRONG_BIO_SUBTYPE -> out.set(0, outsider(deviceSubId));
            case DUPLICATE_BIO_SUBTYPE -> {
                if (out.size() >= 2) {
                    out.set(1, out.get(0));
                } else {
                    out.add(out.get(0));
                }
            }
            case WRONG_COUNT -> out.remove(out.size() - 1);
            default -> { }
        }
        return out;
    }

    /** A bioSubType this sensor cannot have produced. */
    private String outsider(int deviceSubId) {
        List<String> sensor = SensorLayout.sensorSubTypes(profile.kind(), deviceSubId);
        List<String> pool = profile.kind() == DeviceKind.IRIS_DOUBLE ? SensorLayout.IRISES : SensorLayout.FINGERS;
        return pool.stream().filter(n -> !sensor.contains(n)).findFirst().orElse(SensorLayout.UNKNOWN);
    }

    /**
     * The ISO record of one element. The default format keeps raw/JPEG images; the strict and loose
     * formats write JPEG 2000 compressed as MOSIP wants by purpose: lossless for registration, lossy
     * for authentication (ISO/IEC 19794-4 compression 5/4, 19794-6 MONO_JPEG2000 with compression
     * history 1/2 and image type cropped / cropped and masked, 19794-5 image data type 2/1). With
     * {@code wsqAuthFingers}, authentication fingers are WSQ (19794-4 compression 2), in every format.
     * Face records carry the eye centres and nose tip as landmark points, and are 24-bit RGB in the
     * JPEG 2000 formats (MOSIP's colour rule).
     */
    private byte[] isoRecord(String subType, int quality, Instant at, long seed, boolean exceptionPhoto,
                             boolean authentication) {
        boolean j2k = format.followsSpecTiming();
        boolean lossless = !authentication;
        return switch (profile.kind()) {
            case FINGER_SLAP -> {
                java.awt.image.BufferedImage img = SyntheticImages.fingerprint(seed);
                if (authentication && wsqAuthFingers) {
                    yield IsoRecords.finger(SensorLayout.fingerPosition(subType), quality, at, SyntheticImages.wsq(img),
                            SyntheticImages.FINGER_WIDTH, SyntheticImages.FINGER_HEIGHT, 2);
                }
                yield j2k ? IsoRecords.finger(SensorLayout.fingerPosition(subType), quality, at,
                        SyntheticImages.jpeg2000(img, lossless), SyntheticImages.FINGER_WIDTH, SyntheticImages.FINGER_HEIGHT,
                        lossless ? 5 : 4)
                        : IsoRecords.finger(SensorLayout.fingerPosition(subType), quality, at, SyntheticImages.rawGray(img),
                        SyntheticImages.FINGER_WIDTH, SyntheticImages.FINGER_HEIGHT);
            }
            case IRIS_DOUBLE -> {
                java.awt.image.BufferedImage img = SyntheticImages.iris(seed);
                yield j2k ? IsoRecords.iris(SensorLayout.eyeLabel(subType), quality, at,
                        SyntheticImages.jpeg2000(img, lossless), SyntheticImages.IRIS_WIDTH, SyntheticImages.IRIS_HEIGHT,
                        lossless ? 3 : 7, 0x0A, lossless ? 1 : 2)
                        : IsoRecords.iris(SensorLayout.eyeLabel(subType), quality, at, SyntheticImages.rawGray(img),
                        SyntheticImages.IRIS_WIDTH, SyntheticImages.IRIS_HEIGHT);
            }
            case FACE -> {
                java.awt.image.BufferedImage img = SyntheticImages.face(seed, exceptionPhoto);
                yield IsoRecords.face(quality, at,
                        j2k ? SyntheticImages.jpeg2000(SyntheticImages.rgb(img), lossless) : SyntheticImages.jpeg(img, 0.8f),
                        SyntheticImages.FACE_WIDTH, SyntheticImages.FACE_HEIGHT, j2k ? (lossless ? 2 : 1) : 0,
                        SyntheticImages.faceLandmarks(seed), j2k ? 1 : 3);
            }
        };
    }

    /**
     * The strict and loose formats answer 109 with the error table's own words (SBI 0.9.5 §Error Codes), which
     * MOSIP's count-mismatch schemas require verbatim; the default format keeps its detailed message.
     */
    private static ObjectNode errorAnswer(DeviceError e, SbiFormat format) {
        ObjectNode answer = Wire.JSON.createObjectNode();
        ObjectNode element = answer.putArray("biometrics").addObject();
        element.put("specVersion", Wire.SPEC_VERSION);
        element.put("data", "");
        element.put("hash", "");
        boolean tableWords = format.followsSpecTiming() && DeviceError.COUNT_NOT_SUPPORTED.equals(e.code());
        DeviceAnswers.error(element, e.code(), tableWords ? DeviceError.COUNT_NOT_SUPPORTED_INFO : e.info());
        return answer;
    }
}
