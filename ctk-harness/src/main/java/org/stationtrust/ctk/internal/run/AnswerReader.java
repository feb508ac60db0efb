package org.stationtrust.ctk.internal.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import org.stationtrust.ctk.HarnessKey;
import org.stationtrust.ctk.internal.check.JsonFacts;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.internal.check.Observation.Kind;
import org.stationtrust.ctk.internal.device.Exchange;

/**
 * Turns raw answers into the facts checks judge: parsed JSON (bounded nesting and size), error codes,
 * signed parts, and capture elements with their biometric record decoded (decrypted for auth).
 */
final class AnswerReader {
    /** Repeated keys refused as the station's parser (sbi-client Json) refuses them. */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                    .maxStringLength(32 * 1024 * 1024).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final HarnessKey harnessKey;

    AnswerReader(HarnessKey harnessKey) {
        this.harnessKey = harnessKey;
    }

    /**
     * Jackson's complaint up to its first quoted excerpt, plus where: the excerpt is device bytes
     * (possibly part of an unquoted bioValue) and findings are not redacted like exchanges are.
     */
    static String parseComplaint(JsonProcessingException ex) {
        String message = ex.getOriginalMessage() == null ? "" : ex.getOriginalMessage().lines().findFirst().orElse("");
        String kind = message.split("['\"(]", 2)[0].strip();
        if (kind.startsWith("Duplicate field")) {
            kind = "a JSON key repeated in one object (the station refuses duplicate keys, since two parsers could"
                    + " read different values: send each key once)";
        }
        kind = kind.isEmpty() ? ex.getClass().getSimpleName() : kind.length() > 160 ? kind.substring(0, 160) : kind;
        return ex.getLocation() == null ? kind
                : kind + " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr();
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
            JsonNode n = MAPPER.readTree(e.responseBody());
            if (n == null || n.isMissingNode()) {
                o.answers.add(new Observation.Answer(kind, e, null, "empty body (HTTP " + e.status() + ")"));
                return Optional.empty();
            }
            o.answers.add(new Observation.Answer(kind, e, n, null));
            return Optional.of(n);
        } catch (JsonProcessingException ex) {
            o.answers.add(new Observation.Answer(kind, e, null, parseComplaint(ex) + " (malformed JSON, HTTP "
                    + e.status() + ")"));
        } catch (IOException ex) {
            o.answers.add(new Observation.Answer(kind, e, null, ex.getMessage()));
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
                JsonNode payload = JsonFacts.digitalId(info).orElse(null);
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
                JsonNode payload = JsonFacts.jwsPayload(data).orElse(null);
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
        byte[] bioValue = JsonFacts.base64(payload.path("bioValue").asText(null))
                .orElseThrow(() -> new IllegalArgumentException("bioValue is missing or not base64url"));
        if (!auth) {
            return bioValue;
        }
        if (harnessKey == null) {
            throw new IllegalArgumentException("no harness key to decrypt with (--harness-key-dir)");
        }
        byte[] sessionKey = JsonFacts.base64(element.path("sessionKey").asText(null))
                .orElseThrow(() -> new IllegalArgumentException("sessionKey is missing or not base64url"));
        return harnessKey.decrypt(sessionKey, bioValue, payload.path("timestamp").asText(""),
                payload.path("transactionId").asText(""));
    }
}
