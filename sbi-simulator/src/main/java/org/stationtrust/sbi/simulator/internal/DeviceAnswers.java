package org.stationtrust.sbi.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.stationtrust.sbi.simulator.DeviceStatus;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SbiFormat;

/** Builds the MOSIPDISC and MOSIPDINFO answers (SBI 0.9.5 §Device Discovery, §Device Info). */
public final class DeviceAnswers {
    private final DeviceProfile profile;
    private final DeviceState state;
    private final DeviceSigner signer;
    private final String callbackId;
    private final SbiFormat format;

    public DeviceAnswers(DeviceProfile profile, DeviceState state, DeviceSigner signer, int port, SbiFormat format) {
        this.format = format;
        this.profile = profile;
        this.state = state;
        this.signer = signer;
        this.callbackId = "http://127.0.0.1:" + port + "/";
    }

    public String callbackId() {
        return callbackId;
    }

    /** MOSIPDISC: one entry when {@code type} is this device's type or "Biometric Device", else none. */
    public ArrayNode discovery(byte[] requestBody) {
        ArrayNode out = Wire.JSON.createArrayNode();
        String type = requestedType(requestBody);
        if (format.followsSpecTiming() && !java.util.List.of("Biometric Device", "Finger", "Iris", "Face").contains(type)) {
            // SBI 0.9.5 §Device Discovery names exactly these types; MOSIP's SBI1196 sends one upper-cased
            // and expects an error element, not an empty list.
            ObjectNode err = out.addObject();
            error(err, DeviceError.MALFORMED_REQUEST, "Unknown discovery type; expected Biometric Device, Finger, Iris or Face");
            return out;
        }
        if (type == null || !(type.equalsIgnoreCase("Biometric Device") || type.equalsIgnoreCase(profile.kind().bioType()))) {
            return out;
        }
        DeviceStatus status = state.reportedStatus();
        ObjectNode e = out.addObject();
        e.put("deviceId", profile.kind().deviceId());
        e.put("deviceStatus", status.wire());
        e.put("certification", profile.certification());
        e.put("serviceVersion", Wire.SERVICE_VERSION);
        ArrayNode subIds = e.putArray("deviceSubId");
        profile.kind().deviceSubIds().forEach(i -> subIds.add(String.valueOf(i)));
        e.put("callbackId", callbackId);
        // Discovery carries the digitalId unsigned: base64url of its JSON.
        e.put("digitalId", Wire.base64Url(json(profile.digitalId(Instant.now()))));
        e.put("deviceCode", profile.serialNo());
        e.putArray("specVersion").add(Wire.SPEC_VERSION);
        e.put("purpose", status == DeviceStatus.NOT_REGISTERED && !format.followsSpecTiming() ? "" : profile.purpose());
        error(e, "0", "Success");
        return out;
    }

    /** MOSIPDINFO: deviceInfo signed by the device; unsigned with error 100 when Not Registered. */
    public ArrayNode info() {
        DeviceStatus status = state.reportedStatus();
        FaultMode fault = state.fault();
        boolean registered = status != DeviceStatus.NOT_REGISTERED;
        DeviceProfile shown = fault == FaultMode.FOREIGN_DIGITAL_ID ? profile.foreign() : profile;
        byte[] digitalIdJson = json(signedDigitalId(shown, Instant.now().plus(timestampShift(fault)), fault));

        ObjectNode info = Wire.JSON.createObjectNode();
        info.put("deviceStatus", status.wire());
        info.put("deviceId", profile.kind().deviceId());
        info.put("firmware", profile.firmware());
        info.put("certification", profile.certification());
        info.put("serviceVersion", Wire.SERVICE_VERSION);
        ArrayNode subIds = info.putArray("deviceSubId");
        profile.kind().deviceSubIds().forEach(i -> subIds.add(String.valueOf(i)));
        info.put("callbackId", callbackId);
        info.put("digitalId", registered ? signer.signDigitalId(digitalIdJson, fault) : Wire.base64Url(digitalIdJson));
        info.put("deviceCode", profile.serialNo());
        info.put("env", "Staging");
        info.put("purpose", registered || format.followsSpecTiming() ? profile.purpose() : "");
        info.putArray("specVersion").add(Wire.SPEC_VERSION);

        ArrayNode out = Wire.JSON.createArrayNode();
        ObjectNode e = out.addObject();
        if (registered) {
            e.put("deviceInfo", signer.sign(json(info), fault));
            error(e, "0", "Success");
        } else {
            e.put("deviceInfo", Wire.base64Url(json(info)));
            error(e, DeviceError.NOT_REGISTERED, "Device not registered");
        }
        return out;
    }

    /** The digitalId a device signs, its dateTime written as {@code fault} has it. */
    public static ObjectNode signedDigitalId(DeviceProfile shown, Instant at, FaultMode fault) {
        ObjectNode id = shown.digitalId(at);
        if (fault == FaultMode.FRACTIONAL_TIMESTAMP) {
            id.put("dateTime", timestamp(at, fault));
        }
        return id;
    }

    /** The clock offset a timestamp fault applies. */
    public static Duration timestampShift(FaultMode fault) {
        return switch (fault) {
            case STALE_TIMESTAMP -> Duration.ofHours(-1);
            case FUTURE_TIMESTAMP -> Duration.ofHours(1);
            default -> Duration.ZERO;
        };
    }

    public static void error(ObjectNode node, String code, String info) {
        ObjectNode err = node.putObject("error");
        err.put("errorCode", code);
        err.put("errorInfo", info);
    }

    /** The timestamp text of a capture or digitalId under {@code fault}. */
    public static String timestamp(Instant at, FaultMode fault) {
        return fault == FaultMode.FRACTIONAL_TIMESTAMP
                ? java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).atOffset(java.time.ZoneOffset.UTC)).replace("Z", "+00:00")
                : Wire.timestamp(at);
    }

    static byte[] json(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String requestedType(byte[] body) {
        try {
            JsonNode n = Wire.JSON.readTree(body);
            JsonNode t = n == null ? null : n.get("type");
            return t != null && t.isTextual() ? t.asText().trim() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
