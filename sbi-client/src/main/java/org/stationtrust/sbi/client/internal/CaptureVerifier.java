package org.stationtrust.sbi.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.BiometricSample;
import org.stationtrust.sbi.client.CaptureRequest;
import org.stationtrust.sbi.client.CaptureResult;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DigitalId;
import org.stationtrust.sbi.client.HashChain;
import org.stationtrust.sbi.client.Modality;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * Checks an RCAPTURE or CAPTURE answer (docs/sbi-protocol.md "What the station checks on every answer"), element by
 * element: device error, specVersion echo, JWS signed by the device key read at discovery, inner digitalId
 * signed (by the key the certification level requires) and the same device, deviceCode,
 * purpose, env, transactionId echo, bioType, bioSubType requested and not repeated, timestamp within the
 * skew, quality 0-100 and at least the requested score, hash chain (registration only: an
 * authentication bioValue is encrypted, so its hash cannot be recomputed here), then the count.
 */
public final class CaptureVerifier {
    /** What the capture was for; the answer must echo it in {@code purpose}. */
    public enum Purpose {
        REGISTRATION("Registration"),
        AUTHENTICATION("Auth");

        private final String wireName;

        Purpose(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** A qualityScore longer than this is refused before parsing (a number needs 17 significant digits at most). */
    static final int MAX_QUALITY_CHARS = 32;
    /** Decimal and exponent forms only: no hex floats, no Java suffixes (80d), no NaN or Infinity. */
    private static final java.util.regex.Pattern QUALITY =
            java.util.regex.Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private final DeviceVerifiers verifiers;
    private final TimestampWindow timestamps;
    private final String env;

    /** {@code env} is the station's environment (e.g. Staging): every answer must name it. */
    public CaptureVerifier(DeviceVerifiers verifiers, TimestampWindow timestamps, String env) {
        this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
        this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
        this.env = Objects.requireNonNull(env, "env");
    }

    /** Checks what must hold before a capture is sent: the device is trusted, Ready and fit for it. */
    public static void requireCapturable(Device device, CaptureRequest request, Purpose purpose)
            throws DeviceAnswerRejected {
        if (!device.trusted()) {
            throw new DeviceAnswerRejected(RejectionReason.NOT_REGISTERED, device + " has no verified certificate");
        }
        switch (device.status()) {
            case READY:
                break;
            case BUSY:
                throw new DeviceAnswerRejected(RejectionReason.DEVICE_BUSY, device + " reported Busy");
            case NOT_REGISTERED:
                throw new DeviceAnswerRejected(RejectionReason.NOT_REGISTERED, device + " reported Not Registered");
            default:
                throw new DeviceAnswerRejected(RejectionReason.DEVICE_NOT_READY, device + " reported "
                        + device.status().wireName() + ", expected Ready");
        }
        if (!device.purpose().isEmpty() && !device.purpose().equalsIgnoreCase(purpose.wireName())) {
            throw new DeviceAnswerRejected(RejectionReason.PURPOSE_MISMATCH, device + " is certified for '"
                    + Redaction.deviceText(device.purpose()) + "', this capture is for " + purpose.wireName());
        }
        if (!device.specVersions().isEmpty() && !device.specVersions().contains(SbiRequests.SPEC_VERSION)) {
            throw new DeviceAnswerRejected(RejectionReason.SPEC_VERSION_MISMATCH, device + " supports "
                    + device.specVersions() + ", expected " + SbiRequests.SPEC_VERSION);
        }
        if (device.type() != request.type()) {
            throw new IllegalArgumentException("a " + request.type().wireName() + " capture cannot be sent to "
                    + device);
        }
        if (!device.deviceSubIds().isEmpty() && !device.deviceSubIds().contains(request.deviceSubId())) {
            throw new IllegalArgumentException("deviceSubId " + request.deviceSubId() + " is not offered by "
                    + device + " (it offers " + device.deviceSubIds() + ")");
        }
    }

    /**
     * Verifies a capture answer body. {@code previous} is the chain before this capture (registration);
     * it is ignored for authentication.
     */
    public CaptureResult verify(Device device, CaptureRequest request, Purpose purpose, String transactionId,
                                HashChain previous, byte[] body) throws DeviceAnswerRejected {
        try {
            return verifyElements(device, request, purpose, transactionId, previous, body);
        } catch (DeviceAnswerRejected e) {
            throw e.transactionId().isPresent() ? e : e.forTransaction(transactionId);
        }
    }

    private CaptureResult verifyElements(Device device, CaptureRequest request, Purpose purpose,
                                         String transactionId, HashChain previous, byte[] body)
            throws DeviceAnswerRejected {
        JsonNode root = Json.object(Json.parse(body, "capture answer"), "capture answer");
        List<JsonNode> elements = Json.array(root.get("biometrics"), "capture answer 'biometrics'");
        // Elements are independent until the hash chain: check them in parallel, report in order.
        IntStream indexes = IntStream.range(0, elements.size());
        List<Checked> checked = (elements.size() > 1 ? indexes.parallel() : indexes)
                .mapToObj(i -> checkElement(i, elements.get(i), device, request, purpose, transactionId)).toList();
        List<BiometricSample> samples = new ArrayList<>();
        Set<String> seenSubTypes = new HashSet<>();
        HashChain chain = previous;
        for (int i = 0; i < checked.size(); i++) {
            String what = "biometrics[" + i + "]";
            Checked c = checked.get(i);
            if (c.rejection() != null) {
                throw c.rejection();
            }
            BiometricSample sample = c.sample();
            if (request.type() != Modality.FACE && !seenSubTypes.add(sample.bioSubType())) {
                throw new DeviceAnswerRejected(RejectionReason.BIO_SUBTYPE_DUPLICATE, what + " repeats bioSubType '"
                        + sample.bioSubType() + "'");
            }
            if (purpose == Purpose.REGISTRATION) {
                chain = chain.next(c.bioValue());
                if (!chain.matches(sample.hash())) {
                    throw new DeviceAnswerRejected(RejectionReason.HASH_CHAIN_BROKEN, what + " hash is '"
                            + Redaction.deviceText(sample.hash())
                            + "', recomputed from the previous hash and the record: " + chain.hex());
                }
                chain = HashChain.continueFrom(sample.hash());
            }
            samples.add(sample);
        }
        if (elements.size() != request.count()) {
            throw new DeviceAnswerRejected(RejectionReason.COUNT_MISMATCH, "the answer carries "
                    + elements.size() + " biometrics, the request asked for " + request.count());
        }
        String lastHash = purpose == Purpose.REGISTRATION ? chain.hex() : samples.get(samples.size() - 1).hash();
        return new CaptureResult(transactionId, device, samples, lastHash);
    }

    /** One element after its own checks: a sample, or the first rejection it earned. */
    private record Checked(BiometricSample sample, byte[] bioValue, DeviceAnswerRejected rejection) {
    }

    private Checked checkElement(int i, JsonNode node, Device device, CaptureRequest request, Purpose purpose,
                                 String transactionId) {
        String what = "biometrics[" + i + "]";
        try {
            JsonNode element = Json.object(node, what);
            Optional<DeviceAnswerRejected> error = DeviceErrors.rejection(element, what);
            if (error.isPresent()) {
                throw error.get();
            }
            String specVersion = Json.optText(element, "specVersion", what).orElse("");
            if (!specVersion.equals(SbiRequests.SPEC_VERSION)) {
                throw new DeviceAnswerRejected(RejectionReason.SPEC_VERSION_MISMATCH, what + " specVersion is '"
                        + Redaction.deviceText(specVersion) + "', the request used " + SbiRequests.SPEC_VERSION);
            }
            String data = Json.text(element, "data", what);
            VerifiedJws verified = verifiers.deviceKeys().verify(data, what + " data");
            DeviceSigners.requireDeviceKey(device, verified.signer(), what + " data");
            JsonNode p = Json.object(Json.parse(verified.payload(), what + " data payload"), what + " data payload");
            checkDevice(device, p, what);
            checkEcho(p, purpose, transactionId, request, what);
            DeviceInfoVerifier.requireEnvironment(env, Json.optText(p, "env", what).orElse(""), what);
            String subType = checkSubType(request, p, what);
            Instant timestamp = timestamps.check(Json.text(p, "timestamp", what), what + " timestamp");
            double quality = checkQuality(Json.text(p, "qualityScore", what), request.requestedScore(), what);
            byte[] bioValue = Json.base64Url(Json.text(p, "bioValue", what), what + " bioValue");
            String hash = Json.text(element, "hash", what);
            boolean encrypted = purpose == Purpose.AUTHENTICATION;
            return new Checked(new BiometricSample(request.type(), subType, bioValue, encrypted,
                    encrypted ? Json.optText(element, "sessionKey", what) : Optional.empty(),
                    encrypted ? Json.optText(element, "thumbprint", what) : Optional.empty(),
                    quality, timestamp, hash, data), bioValue, null);
        } catch (DeviceAnswerRejected e) {
            return new Checked(null, null, e);
        }
    }

    private void checkDevice(Device device, JsonNode p, String what) throws DeviceAnswerRejected {
        DeviceInfoVerifier.SignedDigitalId signed = DeviceInfoVerifier.signedDigitalId(
                verifiers.forDigitalId(device.certification(), what + " digitalId"), timestamps,
                Json.text(p, "digitalId", what), what + " digitalId");
        DigitalId digitalId = signed.digitalId();
        if (!digitalId.sameDeviceAs(device.digitalId())) {
            throw new DeviceAnswerRejected(RejectionReason.DIGITAL_ID_MISMATCH, what + " was signed for "
                    + digitalId.describe() + ", the request went to " + device.digitalId().describe());
        }
        String deviceCode = Json.optText(p, "deviceCode", what).orElse("");
        if (!device.deviceCode().isEmpty() && !device.deviceCode().equals(deviceCode)) {
            throw new DeviceAnswerRejected(RejectionReason.DEVICE_MISMATCH, what + " deviceCode is '"
                    + Redaction.deviceText(deviceCode) + "', device info said '"
                    + Redaction.deviceText(device.deviceCode()) + "'");
        }
        DeviceInfoVerifier.requireDeviceCodeIsSerialNo(deviceCode, digitalId, what);
        // requireDeviceKey ran first, so the device's certificate is present and is the data signer's key.
        DeviceSigners.requireDigitalIdSigner(device.certification(), device.certificate().orElseThrow(),
                signed.signer(), what + " digitalId");
    }

    private static void checkEcho(JsonNode p, Purpose purpose, String transactionId, CaptureRequest request,
                                  String what) throws DeviceAnswerRejected {
        String answerPurpose = Json.optText(p, "purpose", what).orElse("");
        if (!answerPurpose.equalsIgnoreCase(purpose.wireName())) {
            throw new DeviceAnswerRejected(RejectionReason.PURPOSE_MISMATCH, what + " purpose is '"
                    + Redaction.deviceText(answerPurpose) + "', expected " + purpose.wireName());
        }
        String tx = Json.optText(p, "transactionId", what).orElse("");
        if (!tx.equals(transactionId)) {
            throw new DeviceAnswerRejected(RejectionReason.TRANSACTION_ID_MISMATCH, what + " echoes transactionId '"
                    + Redaction.deviceText(tx) + "', the request sent '" + transactionId + "'");
        }
        String bioType = Json.text(p, "bioType", what);
        if (!bioType.equalsIgnoreCase(request.type().wireName())) {
            throw new DeviceAnswerRejected(RejectionReason.BIO_TYPE_MISMATCH, what + " bioType is '"
                    + Redaction.deviceText(bioType) + "', the request asked for " + request.type().wireName());
        }
    }

    private static String checkSubType(CaptureRequest request, JsonNode p, String what)
            throws DeviceAnswerRejected {
        String subType = Json.optText(p, "bioSubType", what).orElse("");
        if (request.type() == Modality.FACE) {
            if (!Modality.isNoFaceSubType(subType)) {
                throw new DeviceAnswerRejected(RejectionReason.BIO_SUBTYPE_NOT_REQUESTED, what + " bioSubType is '"
                        + Redaction.deviceText(subType) + "', a face has none");
            }
            return subType;
        }
        List<String> acceptable = request.acceptableSubTypes();
        if (!acceptable.contains(subType)) {
            throw new DeviceAnswerRejected(RejectionReason.BIO_SUBTYPE_NOT_REQUESTED, what + " bioSubType is '"
                    + Redaction.deviceText(subType) + "', the request accepts " + acceptable);
        }
        return subType;
    }

    /** SBI 0.9.5 calls qualityScore a floating point number: any decimal or exponent form, finite, 0-100. */
    private static double checkQuality(String value, int requested, String what) throws DeviceAnswerRejected {
        String trimmed = value.length() > MAX_QUALITY_CHARS ? value : value.trim();
        if (trimmed.length() > MAX_QUALITY_CHARS || !QUALITY.matcher(trimmed).matches()) {
            throw new DeviceAnswerRejected(RejectionReason.QUALITY_MALFORMED, what + " qualityScore '"
                    + Redaction.deviceText(value, MAX_QUALITY_CHARS) + "' is not a number of at most "
                    + MAX_QUALITY_CHARS + " characters");
        }
        double quality = Double.parseDouble(trimmed);
        if (!Double.isFinite(quality) || !(quality >= 0 && quality <= 100)) {
            throw new DeviceAnswerRejected(RejectionReason.QUALITY_MALFORMED, what + " qualityScore "
                    + Redaction.deviceText(value) + " is outside 0-100");
        }
        if (quality < requested) {
            throw new DeviceAnswerRejected(RejectionReason.QUALITY_BELOW_THRESHOLD, what + " qualityScore "
                    + quality + " is below the requested " + requested);
        }
        return quality;
    }
}
