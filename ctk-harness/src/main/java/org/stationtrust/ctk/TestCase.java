package org.stationtrust.ctk;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the catalogue: what to send to the device and which checks judge the answer.
 * Built only by {@link Catalogue}, which validates every field against the known vocabulary.
 */
public record TestCase(
        String id,
        String name,
        String description,
        String specVersion,
        String purpose,
        String category,
        List<String> deviceTypes,
        List<String> deviceSubTypes,
        List<String> methods,
        Request request,
        Expectation expect,
        List<String> humanSteps,
        boolean needsOperator,
        List<String> tags,
        List<String> validators,
        List<String> mosipIds) {

    private static final Pattern ID = Pattern.compile("[A-Z0-9][A-Z0-9-]{2,63}");

    public TestCase {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("case id '" + id + "' must match " + ID.pattern());
        }
        requireText(name, id, "name");
        requireText(description, id, "description");
        requireText(specVersion, id, "specVersion");
        requireText(purpose, id, "purpose");
        requireText(category, id, "category");
        deviceTypes = List.copyOf(Objects.requireNonNull(deviceTypes, id + ": deviceTypes"));
        deviceSubTypes = List.copyOf(Objects.requireNonNull(deviceSubTypes, id + ": deviceSubTypes"));
        methods = List.copyOf(Objects.requireNonNull(methods, id + ": methods"));
        request = request == null ? Request.EMPTY : request;
        expect = expect == null ? Expectation.SUCCESS : expect;
        humanSteps = humanSteps == null ? List.of() : List.copyOf(humanSteps);
        tags = tags == null ? List.of() : List.copyOf(tags);
        validators = List.copyOf(Objects.requireNonNull(validators, id + ": validators"));
        mosipIds = mosipIds == null ? List.of() : List.copyOf(mosipIds);
        if (deviceTypes.isEmpty() || methods.isEmpty() || validators.isEmpty()) {
            throw new IllegalArgumentException(id + ": deviceTypes, methods and validators must not be empty");
        }
    }

    private static void requireText(String value, String id, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(id + ": '" + field + "' is missing or blank");
        }
    }

    /** True when the case applies to a device of this type, subtype and purpose. */
    public boolean appliesTo(String type, String subType, String devicePurpose) {
        boolean purposeMatches = "Any".equals(purpose) || purpose.equalsIgnoreCase(devicePurpose);
        return purposeMatches && deviceTypes.contains(type) && deviceSubTypes.contains(subType);
    }

    /**
     * Request parameters of a case. "own" as deviceSubId means: the segment that matches the
     * device under test (slap 1, double iris 3, otherwise 0).
     */
    public record Request(
            String deviceSubId,
            String count,
            List<String> bioSubType,
            List<String> exception,
            String requestedScore,
            Integer timeoutMs,
            String transactionId,
            String renameField,
            Integer captures,
            Integer repeat,
            Map<String, String> cohort,
            String discoveryType,
            String deviceId,
            Integer frames,
            String probe,
            Integer bytes,
            Boolean reuseTransactionId) {

        static final Request EMPTY = new Request(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);

        public Request {
            bioSubType = bioSubType == null ? List.of() : List.copyOf(bioSubType);
            exception = exception == null ? List.of() : List.copyOf(exception);
            cohort = cohort == null ? Map.of() : Map.copyOf(cohort);
            if (timeoutMs != null && (timeoutMs < 100 || timeoutMs > 120_000)) {
                throw new IllegalArgumentException("timeoutMs " + timeoutMs + " outside 100..120000");
            }
        }

        public int timeoutOr(int fallback) {
            return timeoutMs == null ? fallback : timeoutMs;
        }

        public int capturesOrOne() {
            return captures == null ? 1 : captures;
        }
    }

    /**
     * What a correct device answers. errorCode is a code ("0", "109"), "nonzero" (any error) or
     * "nonzero-or-empty" (an error element or no element at all; the mosip profile wants the error
     * element). {@code advisory}: a device that does not answer as expected gets a warning, not a
     * failure (the spec leaves it to the caller). {@code notBeforeTimeout}: "always" (the answer may not
     * come before the request's timeout) or "unless-score-met" (earlier only with every score reached).
     */
    public record Expectation(String errorCode, String deviceStatus, Boolean withinTimeout, Boolean advisory,
                              String notBeforeTimeout) {
        static final Expectation SUCCESS = new Expectation("0", null, null, null, null);

        public Expectation {
            if (errorCode != null && !errorCode.matches("\\d{1,4}|nonzero|nonzero-or-empty")) {
                throw new IllegalArgumentException("expected errorCode '" + errorCode
                        + "' must be digits, 'nonzero' or 'nonzero-or-empty'");
            }
            if (notBeforeTimeout != null && !notBeforeTimeout.matches("always|unless-score-met")) {
                throw new IllegalArgumentException("notBeforeTimeout '" + notBeforeTimeout
                        + "' must be 'always' or 'unless-score-met'");
            }
        }

        public boolean isAdvisory() {
            return Boolean.TRUE.equals(advisory);
        }

        public boolean success() {
            return errorCode == null || "0".equals(errorCode);
        }

        public boolean mustAnswerWithinTimeout() {
            return Boolean.TRUE.equals(withinTimeout);
        }
    }
}
