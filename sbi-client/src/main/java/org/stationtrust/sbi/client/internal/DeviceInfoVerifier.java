package org.stationtrust.sbi.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceStatus;
import org.stationtrust.sbi.client.DigitalId;
import org.stationtrust.sbi.client.PortDevices;
import org.stationtrust.sbi.client.RejectionReason;
import org.stationtrust.sbi.client.UntrustedDevice;

/**
 * Turns a MOSIPDISC and a MOSIPDINFO answer from one port into {@link Device}s: the device info JWS
 * verified, its inner digitalId signed and equal to the discovery one, deviceId, deviceCode,
 * certification and callbackId consistent between both answers, the digitalId signed by the key its
 * certification level requires ({@link DeviceSigners}), chaining to the roots of its domain ({@link DeviceVerifiers}:
 * device-provider CAs for the device key, FTM-provider CAs for an L1 chip key). Unsigned device info yields a
 * "Not Registered" device without a certificate, never a trusted one.
 */
public final class DeviceInfoVerifier {
    private final DeviceVerifiers verifiers;
    private final TimestampWindow timestamps;
    private final String env;

    /** {@code env} is the station's environment (e.g. Staging): a device registered for another is refused. */
    public DeviceInfoVerifier(DeviceVerifiers verifiers, TimestampWindow timestamps, String env) {
        this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
        this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
        this.env = Objects.requireNonNull(env, "env");
    }

    /** One entry of a MOSIPDISC answer, unverified (discovery is unsigned by design). */
    public record DiscoveredDevice(String deviceId, String deviceStatus, String certification,
                                   String serviceVersion, List<Integer> deviceSubIds, String callbackId,
                                   DigitalId digitalId, String deviceCode, List<String> specVersions,
                                   String purpose) {
    }

    /** Parses a MOSIPDISC answer body (an array of devices; one object is tolerated). */
    public static List<DiscoveredDevice> parseDiscovery(byte[] body) throws DeviceAnswerRejected {
        JsonNode root = Json.parse(body, "MOSIPDISC answer");
        List<JsonNode> entries = root.isObject() ? List.of(root) : Json.array(root, "MOSIPDISC answer");
        List<DiscoveredDevice> out = new ArrayList<>();
        for (JsonNode e : entries) {
            String what = "MOSIPDISC entry";
            Json.object(e, what);
            Optional<DeviceAnswerRejected> error = DeviceErrors.rejection(e, what);
            if (error.isPresent() && e.get("deviceId") == null) {
                throw error.get();
            }
            out.add(new DiscoveredDevice(Json.text(e, "deviceId", what),
                    Json.optText(e, "deviceStatus", what).orElse(""),
                    Json.optText(e, "certification", what).orElse(""),
                    Json.optText(e, "serviceVersion", what).orElse(""),
                    subIds(Json.texts(e, "deviceSubId", what), what),
                    Json.optText(e, "callbackId", what).orElse(""),
                    DigitalIds.parseUnsigned(Json.text(e, "digitalId", what), what + " digitalId"),
                    Json.optText(e, "deviceCode", what).orElse(""),
                    Json.texts(e, "specVersion", what),
                    Json.optText(e, "purpose", what).orElse("")));
        }
        if (out.isEmpty()) {
            throw Json.malformed("MOSIPDISC answer lists no device");
        }
        return out;
    }

    /**
     * Verifies a MOSIPDINFO answer from {@code port} against the discovery answer of the same port and
     * throws the first device's rejection: for callers that need every listed device trusted.
     */
    public List<Device> verify(int port, List<DiscoveredDevice> discovered, byte[] infoBody)
            throws DeviceAnswerRejected {
        PortDevices judged = verifyEach(port, discovered, infoBody);
        if (!judged.untrusted().isEmpty()) {
            throw judged.untrusted().get(0).rejection();
        }
        return judged.devices();
    }

    /**
     * Verifies each entry of a MOSIPDINFO answer on its own: the ones that verify become {@link Device}s,
     * each other one an {@link UntrustedDevice} with its reason. Throws only when the answer as a whole is
     * unusable (not JSON, not an array, empty).
     */
    public PortDevices verifyEach(int port, List<DiscoveredDevice> discovered, byte[] infoBody)
            throws DeviceAnswerRejected {
        Map<String, DiscoveredDevice> byId = new LinkedHashMap<>();
        discovered.forEach(d -> byId.put(d.deviceId(), d));
        List<JsonNode> entries = Json.array(Json.parse(infoBody, "MOSIPDINFO answer"), "MOSIPDINFO answer");
        if (entries.isEmpty()) {
            throw Json.malformed("MOSIPDINFO answer lists no device");
        }
        List<Device> devices = new ArrayList<>();
        List<UntrustedDevice> untrusted = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            try {
                Json.object(e, "MOSIPDINFO entry");
                devices.add(verifyEntry(port, byId, e));
            } catch (DeviceAnswerRejected rejected) {
                untrusted.add(new UntrustedDevice(port, claimedDeviceId(e).orElse("entry " + (i + 1)), rejected));
            }
        }
        return new PortDevices(devices, untrusted);
    }

    /** The deviceId an entry claims, read without verification: only a label for the operator. */
    private static Optional<String> claimedDeviceId(JsonNode entry) {
        try {
            String info = Json.optText(entry, "deviceInfo", "deviceInfo").orElse("");
            int first = info.indexOf('.');
            int second = first < 0 ? -1 : info.indexOf('.', first + 1);
            String payload = second > 0 ? info.substring(first + 1, second) : info;
            JsonNode p = Json.parse(Json.base64Url(payload, "deviceInfo"), "deviceInfo");
            return Json.optText(p, "deviceId", "deviceInfo").map(Redaction::deviceText);
        } catch (DeviceAnswerRejected | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private Device verifyEntry(int port, Map<String, DiscoveredDevice> byId, JsonNode entry)
            throws DeviceAnswerRejected {
        String what = "deviceInfo";
        Optional<String> info = Json.optText(entry, "deviceInfo", what);
        String code = DeviceErrors.code(entry, what);
        if (info.isEmpty() || info.get().isBlank()) {
            if (code.equals("100") && byId.size() == 1) {
                return unregistered(port, byId.values().iterator().next());
            }
            throw DeviceErrors.rejection(entry, what).orElse(Json.malformed("MOSIPDINFO entry has no deviceInfo"));
        }
        if (!DeviceJwsVerifier.looksSigned(info.get())) {
            // SBI 0.9.5: an unregistered device sends its info as base64url JSON without a signature.
            JsonNode payload = Json.object(Json.parse(Json.base64Url(info.get(), what), what), what);
            DiscoveredDevice d = byId.get(Json.text(payload, "deviceId", what));
            if (d == null) {
                throw new DeviceAnswerRejected(RejectionReason.DEVICE_MISMATCH,
                        "unsigned deviceInfo names a deviceId that discovery did not list");
            }
            return unregistered(port, d);
        }
        VerifiedJws verified = verifiers.deviceKeys().verify(info.get(), what);
        JsonNode p = Json.object(Json.parse(verified.payload(), what + " payload"), what + " payload");
        String deviceId = Json.text(p, "deviceId", what);
        DiscoveredDevice d = byId.get(deviceId);
        if (d == null) {
            throw new DeviceAnswerRejected(RejectionReason.DEVICE_MISMATCH, "deviceInfo names deviceId '"
                    + Redaction.deviceText(deviceId) + "', discovery listed " + byId.keySet());
        }
        // The level is read before the digitalId is verified: it decides which roots the digitalId signer must reach.
        String certification = Json.optText(p, "certification", what).orElse("");
        SignedDigitalId signedId = signedDigitalId(verifiers.forDigitalId(certification, what + " digitalId"), timestamps,
                Json.text(p, "digitalId", what), what + " digitalId");
        DigitalId digitalId = signedId.digitalId();
        if (!digitalId.sameDeviceAs(d.digitalId())) {
            throw new DeviceAnswerRejected(RejectionReason.DIGITAL_ID_MISMATCH, "deviceInfo digitalId is "
                    + digitalId.describe() + ", discovery announced " + d.digitalId().describe());
        }
        String deviceCode = Json.optText(p, "deviceCode", what).orElse("");
        requireSame("deviceCode", d.deviceCode(), deviceCode);
        requireDeviceCodeIsSerialNo(deviceCode, digitalId, what);
        requireEnvironment(env, Json.optText(p, "env", what).orElse(""), what);
        requireSame("certification", d.certification(), certification);
        DeviceSigners.requireDigitalIdSigner(certification, verified.signer(), signedId.signer(), what + " digitalId");
        String callbackId = Json.optText(p, "callbackId", what).orElse(d.callbackId());
        int callbackPort = callbackPort(callbackId, port);
        DeviceStatus status = status(Json.text(p, "deviceStatus", what));
        List<Integer> subIds = subIds(Json.texts(p, "deviceSubId", what), what);
        List<String> specVersions = Json.texts(p, "specVersion", what);
        return new Device(callbackPort, deviceId, subIds.isEmpty() ? d.deviceSubIds() : subIds, status,
                certification, Json.optText(p, "purpose", what).orElse(d.purpose()),
                Json.optText(p, "serviceVersion", what).orElse(d.serviceVersion()), deviceCode,
                specVersions.isEmpty() ? d.specVersions() : specVersions, callbackId,
                Json.optText(p, "firmware", what).orElse(""), digitalId,
                Optional.of(verified.signer()));
    }

    /** A digitalId whose JWS verified, with the certificate that signed it. */
    record SignedDigitalId(DigitalId digitalId, X509Certificate signer) {
    }

    /**
     * Verifies a signed digitalId (JWS) and parses it; an unsigned one is DIGITAL_ID_UNSIGNED. Its dateTime,
     * when present, is held to the allowed skew like every other device timestamp.
     */
    static SignedDigitalId signedDigitalId(DeviceJwsVerifier jws, TimestampWindow timestamps, String value,
                                           String what) throws DeviceAnswerRejected {
        if (!DeviceJwsVerifier.looksSigned(value)) {
            throw new DeviceAnswerRejected(RejectionReason.DIGITAL_ID_UNSIGNED, what
                    + " is not a JWS; a registered device signs its digitalId");
        }
        VerifiedJws verified = jws.verifyRepeated(value, what);
        DigitalId digitalId = DigitalIds.parse(verified.payload(), what);
        if (!digitalId.dateTime().isEmpty()) {
            timestamps.check(digitalId.dateTime(), what + " dateTime");
        }
        return new SignedDigitalId(digitalId, verified.signer());
    }

    /** SBI 0.9.5 "Device Info": deviceCode is the same as serialNo in the digital ID. */
    static void requireDeviceCodeIsSerialNo(String deviceCode, DigitalId digitalId, String what)
            throws DeviceAnswerRejected {
        if (!deviceCode.equals(digitalId.serialNo())) {
            throw new DeviceAnswerRejected(RejectionReason.DEVICE_MISMATCH, what + " deviceCode is '"
                    + Redaction.deviceText(deviceCode) + "', its digitalId serialNo is '"
                    + Redaction.deviceText(digitalId.serialNo()) + "' (the spec makes them the same)");
        }
    }

    /** A device registered for another environment than the station's (e.g. Staging vs Production). */
    static void requireEnvironment(String expected, String env, String what) throws DeviceAnswerRejected {
        if (!env.equalsIgnoreCase(expected)) {
            throw new DeviceAnswerRejected(RejectionReason.ENVIRONMENT_MISMATCH, what + " env is '"
                    + Redaction.deviceText(env) + "', this station is configured for '" + expected + "'");
        }
    }

    private Device unregistered(int port, DiscoveredDevice d) throws DeviceAnswerRejected {
        int callbackPort = callbackPort(d.callbackId().isEmpty() ? "http://127.0.0.1:" + port + "/" : d.callbackId(), port);
        return new Device(callbackPort, d.deviceId(), d.deviceSubIds(), DeviceStatus.NOT_REGISTERED,
                d.certification(), d.purpose(), d.serviceVersion(), d.deviceCode(), d.specVersions(),
                d.callbackId(), "", d.digitalId(), Optional.<X509Certificate>empty());
    }

    private static void requireSame(String field, String discovery, String info) throws DeviceAnswerRejected {
        if (!discovery.isEmpty() && !discovery.equals(info)) {
            throw new DeviceAnswerRejected(RejectionReason.DEVICE_MISMATCH, field + " is '"
                    + Redaction.deviceText(info) + "' in deviceInfo but '" + Redaction.deviceText(discovery)
                    + "' in discovery");
        }
    }

    /** The callbackId must point back to the loopback port that answered (a device cannot redirect us). */
    private static int callbackPort(String callbackId, int port) throws DeviceAnswerRejected {
        URI uri;
        try {
            uri = URI.create(callbackId.trim());
        } catch (IllegalArgumentException e) {
            throw Json.malformed("callbackId '" + Redaction.deviceText(callbackId) + "' is not a URL");
        }
        String host = uri.getHost();
        int cbPort = uri.getPort();
        if (host == null || !(host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost")) || cbPort != port) {
            throw new DeviceAnswerRejected(RejectionReason.DEVICE_MISMATCH, "callbackId '"
                    + Redaction.deviceText(callbackId) + "' does not point to 127.0.0.1:" + port
                    + ", the port that answered");
        }
        return port;
    }

    private static DeviceStatus status(String value) throws DeviceAnswerRejected {
        try {
            return DeviceStatus.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw Json.malformed(Redaction.deviceText(e.getMessage(), 160));
        }
    }

    private static List<Integer> subIds(List<String> values, String what) throws DeviceAnswerRejected {
        List<Integer> out = new ArrayList<>();
        for (String v : values) {
            try {
                int id = Integer.parseInt(v.trim());
                if (id < 0 || id > 3) {
                    throw Json.malformed(what + " deviceSubId " + id + " is not 0-3");
                }
                out.add(id);
            } catch (NumberFormatException e) {
                throw Json.malformed(what + " deviceSubId '" + Redaction.deviceText(v) + "' is not a number");
            }
        }
        return out;
    }
}
