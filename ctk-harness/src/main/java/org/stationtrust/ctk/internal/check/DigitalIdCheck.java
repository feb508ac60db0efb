package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stationtrust.ctk.internal.device.DeviceProfile;

/**
 * The device is the same everywhere: the digitalId in discovery (unsigned), device info and every
 * capture (signed) names one device, and deviceId, deviceCode and certification agree with discovery.
 */
public final class DigitalIdCheck implements Check {
    static final List<String> IDENTITY = List.of("serialNo", "make", "model", "type", "deviceSubType",
            "deviceProvider", "deviceProviderId");

    @Override
    public String name() {
        return "digital-id";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        DeviceProfile device = o.device();
        if (device == null || device.digitalId() == null) {
            return Finding.notEvaluated(name(), "the device has no reference digitalId from discovery");
        }
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (int i = 0; i < o.discovered.size(); i++) {
            JsonNode d = o.discovered.get(i);
            if (!"0".equals(d.path("error").path("errorCode").asText("0"))) {
                continue;
            }
            seen++;
            compare("discovery[" + i + "].digitalId", AnswerFields.digitalId(d.path("digitalId").asText(null)), device, problems);
        }
        for (Observation.InfoEntry info : o.infos) {
            if (info.payload() == null || !"0".equals(info.errorCode())) {
                continue;
            }
            seen++;
            signedDigitalId("deviceInfo", info.payload(), device, problems);
            same("deviceInfo.deviceId", info.payload().path("deviceId").asText(null), device.deviceId(), problems);
            same("deviceInfo.deviceCode", info.payload().path("deviceCode").asText(null), device.deviceCode(), problems);
            same("deviceInfo.certification", info.payload().path("certification").asText(null),
                    device.certification(), problems);
        }
        for (Observation.CaptureElement e : o.successfulElements()) {
            if (e.payload() == null) {
                continue;
            }
            seen++;
            String where = "biometrics[" + e.index() + "]";
            signedDigitalId(where, e.payload(), device, problems);
            same(where + ".deviceCode", e.payload().path("deviceCode").asText(null), device.deviceCode(), problems);
        }
        if (seen == 0) {
            return Finding.notEvaluated(name(), "no answer carried a digitalId");
        }
        return Finding.of(name(), problems, "digitalId and device identity agree in " + seen + " places");
    }

    private static void signedDigitalId(String where, JsonNode payload, DeviceProfile device, List<String> problems) {
        String value = payload.path("digitalId").asText(null);
        if (value == null) {
            problems.add(where + " has no digitalId");
            return;
        }
        if (value.chars().filter(c -> c == '.').count() != 2) {
            problems.add(where + ".digitalId is not signed (expected a JWS)");
        }
        compare(where + ".digitalId", AnswerFields.digitalId(value), device, problems);
    }

    private static void compare(String where, Optional<JsonNode> id, DeviceProfile device, List<String> problems) {
        if (id.isEmpty() || !id.get().isObject()) {
            problems.add(where + " does not decode to a JSON object");
            return;
        }
        for (String field : IDENTITY) {
            String expected = device.digitalId().path(field).asText(null);
            String actual = id.get().path(field).asText(null);
            if (actual == null) {
                problems.add(where + "." + field + " is missing");
            } else if (expected != null && !expected.equals(actual)) {
                problems.add(where + "." + field + " is '" + SchemaCheck.abbreviate(actual)
                        + "' but discovery said '" + SchemaCheck.abbreviate(expected) + "' (foreign digitalId)");
            }
        }
        String type = id.get().path("type").asText("");
        if (!type.isEmpty() && !type.equals(device.type())) {
            problems.add(where + ".type '" + type + "' is not the device type " + device.type());
        }
    }

    private static void same(String where, String actual, String expected, List<String> problems) {
        if (expected != null && !expected.equals(actual)) {
            problems.add(where + " is '" + actual + "' but discovery said '" + expected + "'");
        }
    }
}
