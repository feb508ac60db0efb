package org.stationtrust.agent.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One capture asked by the registration application ({@code POST /v1/captures}), parsed and bounded at the edge.
 * The consent reference is mandatory: without it the agent refuses to capture.
 */
public record CaptureOrder(String modality, int deviceSubId, List<String> subtypes, List<String> exceptions,
                           int requestedScore, Duration timeout, String consentReference, String registrationId,
                           String operator, java.util.Optional<String> deviceId) {
    private static final Set<String> FIELDS = Set.of("modality", "deviceSubId", "subtypes", "exceptions", "requestedScore",
            "timeoutMs", "consentReference", "registrationId", "operator", "deviceId");
    private static final Set<String> MODALITIES = Set.of("Finger", "Iris", "Face");
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Pattern REGISTRATION = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern OPERATOR = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern SUBTYPE = Pattern.compile("[A-Za-z ]{1,32}");

    public CaptureOrder {
        Objects.requireNonNull(modality);
        subtypes = List.copyOf(subtypes);
        exceptions = List.copyOf(exceptions);
        Objects.requireNonNull(timeout);
        Objects.requireNonNull(consentReference);
        Objects.requireNonNull(registrationId);
        Objects.requireNonNull(operator);
        Objects.requireNonNull(deviceId);
    }

    static CaptureOrder fromJson(JsonNode body) throws ApiRefusal {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) throw bad("unknown field '" + clip(name) + "'; known fields are " + FIELDS);
        }
        String consent = text(body, "consentReference", REFERENCE, null);
        if (consent == null) {
            throw new ApiRefusal(400, "consent_required", "a capture needs the registration's consentReference"
                    + " (1-128 characters [A-Za-z0-9._:/-]); record the person's consent first");
        }
        String modality = text(body, "modality", null, null);
        if (modality == null || !MODALITIES.contains(modality)) throw bad("modality must be one of " + MODALITIES);
        int subId = integer(body, "deviceSubId", 0, 0, 3);
        int score = integer(body, "requestedScore", 40, 0, 100);
        int timeoutMs = integer(body, "timeoutMs", 10_000, 1_000, 60_000);
        String registration = text(body, "registrationId", REGISTRATION, null);
        if (registration == null) throw bad("registrationId is required (1-64 characters [A-Za-z0-9-]); it chains the captures of one registration");
        String operator = text(body, "operator", OPERATOR, "unknown");
        String deviceId = text(body, "deviceId", Pattern.compile("[0-9]{1,5}-[A-Za-z0-9._-]{1,64}"), null);
        return new CaptureOrder(modality, subId, names(body, "subtypes"), names(body, "exceptions"), score,
                Duration.ofMillis(timeoutMs), consent, registration, operator,
                java.util.Optional.ofNullable(deviceId));
    }

    private static String text(JsonNode body, String field, Pattern pattern, String fallback) throws ApiRefusal {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return fallback;
        if (!node.isTextual()) throw bad(field + " must be a string");
        String value = node.asText();
        if (pattern != null && !pattern.matcher(value).matches()) throw bad(field + " must match " + pattern.pattern());
        return value;
    }

    private static int integer(JsonNode body, String field, int fallback, int min, int max) throws ApiRefusal {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return fallback;
        if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
            throw bad(field + " must be an integer in " + min + ".." + max);
        }
        return node.asInt();
    }

    private static List<String> names(JsonNode body, String field) throws ApiRefusal {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray() || node.size() > 10) throw bad(field + " must be an array of at most 10 bioSubType names");
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || !SUBTYPE.matcher(item.asText()).matches()) throw bad(field + " holds something that is not a bioSubType name");
            out.add(item.asText());
        }
        return out;
    }

    private static ApiRefusal bad(String reason) {
        return new ApiRefusal(400, "bad_capture_request", reason);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
