package org.stationtrust.agent.internal.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.stationtrust.sbi.client.Modality;

/**
 * One capture asked by the registration application ({@code POST /v1/captures}), parsed and bounded at the edge.
 * The consent reference is mandatory: without it the agent refuses to capture.
 */
public record CaptureOrder(Modality modality, int deviceSubId, List<String> subtypes, List<String> exceptions,
                           int requestedScore, Duration timeout, String consentReference, String registrationId,
                           String operator, Optional<String> deviceId) {
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Pattern REGISTRATION = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern OPERATOR = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern SUBTYPE = Pattern.compile("[A-Za-z ]{1,32}");
    private static final Pattern DEVICE_ID = Pattern.compile("[0-9]{1,5}-[A-Za-z0-9._-]{1,64}");
    private static final int MAX_NAMES = 10;

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

    /** The order a well-formed body asks for, with its defaults, or the rule it breaks. */
    static CaptureOrder from(CaptureOrderBody body) throws ApiRefusal {
        String consent = text("consentReference", body.consentReference(), REFERENCE, null);
        if (consent == null) {
            throw new ApiRefusal(RefusalCode.CONSENT_REQUIRED, "a capture needs the registration's consentReference"
                    + " (1-128 characters [A-Za-z0-9._:/-]); record the person's consent first");
        }
        Modality modality = modality(body.modality());
        int subId = integer("deviceSubId", body.deviceSubId(), 0, 0, 3);
        int score = integer("requestedScore", body.requestedScore(), 40, 0, 100);
        int timeoutMs = integer("timeoutMs", body.timeoutMs(), 10_000, 1_000, 60_000);
        String registration = text("registrationId", body.registrationId(), REGISTRATION, null);
        if (registration == null) {
            throw invalid("registrationId is required (1-64 characters [A-Za-z0-9-]); it chains the captures of one registration");
        }
        String operator = text("operator", body.operator(), OPERATOR, "unknown");
        String deviceId = text("deviceId", body.deviceId(), DEVICE_ID, null);
        return new CaptureOrder(modality, subId, names("subtypes", body.subtypes()), names("exceptions", body.exceptions()),
                score, Duration.ofMillis(timeoutMs), consent, registration, operator, Optional.ofNullable(deviceId));
    }

    /** sbi-client's {@link Modality}, by its exact SBI wire name. */
    private static Modality modality(String value) throws ApiRefusal {
        for (Modality m : Modality.values()) {
            if (m.wireName().equals(value)) return m;
        }
        throw invalid("modality must be one of Finger, Iris, Face");
    }

    private static String text(String field, String value, Pattern pattern, String fallback) throws ApiRefusal {
        if (value == null) return fallback;
        if (!pattern.matcher(value).matches()) throw invalid(field + " must match " + pattern.pattern());
        return value;
    }

    private static int integer(String field, Integer value, int fallback, int min, int max) throws ApiRefusal {
        if (value == null) return fallback;
        if (value < min || value > max) throw invalid(field + " must be an integer in " + min + ".." + max);
        return value;
    }

    private static List<String> names(String field, List<String> values) throws ApiRefusal {
        if (values == null) return List.of();
        if (values.size() > MAX_NAMES) throw invalid(field + " must be an array of at most " + MAX_NAMES + " bioSubType names");
        for (String v : values) {
            if (v == null || !SUBTYPE.matcher(v).matches()) throw invalid(field + " holds something that is not a bioSubType name");
        }
        return values;
    }

    private static ApiRefusal invalid(String message) {
        return new ApiRefusal(RefusalCode.INVALID_FIELD, message);
    }
}
