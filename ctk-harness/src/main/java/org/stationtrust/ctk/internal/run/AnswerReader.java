package org.stationtrust.ctk.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.stationtrust.ctk.HarnessKey;
import org.stationtrust.ctk.internal.check.AnswerFields;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.internal.check.Observation.Kind;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceJson;

/**
 * Turns raw answers into the facts checks judge: parsed JSON (the station's reader, sbi-client DeviceJson), error codes,
 * signed parts, and capture elements with their biometric record decoded (decrypted for auth).
 */
final class AnswerReader {
    private final HarnessKey harnessKey;

    AnswerReader(HarnessKey harnessKey) {
        this.harnessKey = harnessKey;
    }

    /** Parses the body of {@code e} as JSON into the observation; returns the JSON when it parsed. */
    Optional<JsonNode> json(Observation o, Kind kind, Exchange e) {
        if (!e.answered()) {
            return Optional.empty();
        }
        if (e.truncated()) {
            o.answers.add(new Observation.Answer(kind, e, null, "answer exceeds the size limit ("
                    + e.responseBody().length + " bytes read, oversized body)"));
            return Optional.empty();
        }
        try {
            // The station's reader (sbi-client DeviceJson): its bounds, no repeated key, and a message that
            // says what was wrong and where without quoting device bytes (findings are not redacted).
            JsonNode n = DeviceJson.read(e.responseBody(), e.verb() + " answer");
            o.answers.add(new Observation.Answer(kind, e, n, null));
            return Optional.of(n);
        } catch (DeviceAnswerRejected ex) {
            String problem = new String(e.responseBody(), StandardCharsets.ISO_8859_1).isBlank()
                    ? "empty body (HTTP " + e.status() + ")" : ex.detail() + " (malformed JSON, HTTP " + e.status() + ")";
            o.answers.add(new Observation.Answer(kind, e, null, problem));
        }
        return Optional.empty();
    }

    void discovery(Observation o, Exchange e) {
        json(o, Kind.DISCOVERY, e).ifPresent(json -> {
            if (json.isArray()) {
                for (JsonNode d : json) {
                    if (otherDevice(o, d.path("deviceId").asText(null))) {
                        continue; // a service may list several devices on its port; only ours is judged
                    }
                    o.discovered.add(d);
                    o.errorCodes.add(d.path("error").path("errorCode").asText("missing"));
                }
            }
        });
    }

    /** Reads a MOSIPDINFO answer; {@code signed} says whether deviceInfo must be a JWS. */
    void info(Observation o, Exchange e, boolean signed) {
        json(o, Kind.INFO, e).ifPresent(json -> {
            if (!json.isArray()) {
                return;
            }
            int i = 0;
            for (JsonNode d : json) {
                String info = d.path("deviceInfo").isTextual() ? d.path("deviceInfo").asText() : null;
                String code = d.path("error").path("errorCode").asText("missing");
                JsonNode payload = AnswerFields.digitalId(info).orElse(null);
                if (payload != null && otherDevice(o, payload.path("deviceId").asText(null))) {
                    continue;
                }
                o.errorCodes.add(code);
                o.infos.add(new Observation.InfoEntry(d, info, payload, code));
                if (signed && info != null) {
                    o.signed.add(new Observation.SignedPart("info[" + i + "].deviceInfo", info));
                    if (payload != null && payload.path("digitalId").isTextual()) {
                        o.signed.add(new Observation.SignedPart("info[" + i + "].digitalId", payload.path("digitalId").asText()));
                    }
                }
                i++;
            }
        });
    }

    /** An entry naming another device than the one under test (several devices on one port). */
    private static boolean otherDevice(Observation o, String deviceId) {
        return o.device() != null && deviceId != null && !deviceId.equals(o.device().deviceId());
    }

    void capture(Observation o, int request, Exchange e, boolean auth) {
        json(o, Kind.CAPTURE, e).ifPresent(json -> {
            JsonNode bio = json.path("biometrics");
            if (!bio.isArray()) {
                return;
            }
            int i = 0;
            for (JsonNode el : bio) {
                String code = el.path("error").path("errorCode").asText("missing");
                o.errorCodes.add(code);
                String data = el.path("data").isTextual() ? el.path("data").asText() : null;
                JsonNode payload = AnswerFields.jwsPayload(data).orElse(null);
                boolean ok = "0".equals(code);
                if (ok && data != null) {
                    o.signed.add(new Observation.SignedPart("capture " + (request + 1) + " biometrics[" + i + "].data", data));
                    if (payload != null && payload.path("digitalId").isTextual()) {
                        o.signed.add(new Observation.SignedPart("capture " + (request + 1) + " biometrics[" + i
                                + "].digitalId", payload.path("digitalId").asText()));
                    }
                }
                byte[] record = null;
                String problem = null;
                if (ok) {
                    try {
                        record = record(el, payload, auth);
                    } catch (IllegalArgumentException | GeneralSecurityException ex) {
                        problem = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
                    }
                }
                o.elements.add(new Observation.CaptureElement(request, i, el, el.path("specVersion").asText(null), data,
                        payload, el.path("hash").asText(null), code, el.path("error").path("errorInfo").asText(null),
                        record, problem));
                i++;
            }
        });
    }

    private byte[] record(JsonNode element, JsonNode payload, boolean auth) throws GeneralSecurityException {
        if (payload == null) {
            throw new IllegalArgumentException("data is not a JWS with a JSON payload");
        }
        byte[] bioValue = AnswerFields.base64Url(payload.path("bioValue").asText(null))
                .orElseThrow(() -> new IllegalArgumentException("bioValue is missing or not base64url"));
        if (!auth) {
            return bioValue;
        }
        if (harnessKey == null) {
            throw new IllegalArgumentException("no harness key to decrypt with (--harness-key-dir)");
        }
        byte[] sessionKey = AnswerFields.base64Url(element.path("sessionKey").asText(null))
                .orElseThrow(() -> new IllegalArgumentException("sessionKey is missing or not base64url"));
        return harnessKey.decrypt(sessionKey, bioValue, payload.path("timestamp").asText(""),
                payload.path("transactionId").asText(""));
    }
}
