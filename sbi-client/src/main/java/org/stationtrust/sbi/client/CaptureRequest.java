package org.stationtrust.sbi.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One modality to capture (SBI 0.9.5 {@code bio[0]}), validated against the interop rules: count +
 * exceptions equals the sensor's fingers/irises (slap 4, thumbs 2, double iris 2, face 1), exceptions
 * and requested bioSubTypes belong to the sensor, no duplicates, score 0-100. The face "exception
 * photo" (a photo taken because biometrics are missing) is a face capture whose exceptions name the
 * missing fingers or irises.
 */
public record CaptureRequest(Modality type, int deviceSubId, int count, List<String> bioSubTypes,
                             List<String> exceptions, int requestedScore, Duration timeout,
                             boolean exceptionPhoto) {
    public static final int DEFAULT_SCORE = 40;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public CaptureRequest {
        Objects.requireNonNull(type, "type");
        bioSubTypes = List.copyOf(bioSubTypes);
        exceptions = List.copyOf(exceptions);
        Objects.requireNonNull(timeout, "timeout");
        if (requestedScore < 0 || requestedScore > 100) {
            throw new IllegalArgumentException("requestedScore must be 0-100, got " + requestedScore);
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("capture timeout must be 1 s to 10 min, got " + timeout);
        }
        requireDistinct(exceptions, "exception");
        requireDistinct(bioSubTypes, "bioSubType");
        List<String> sensor = type.sensorSubTypes(deviceSubId);
        if (exceptionPhoto) {
            checkExceptionPhoto(type, deviceSubId, count, bioSubTypes, exceptions);
        } else {
            for (String e : exceptions) {
                if (!sensor.contains(e)) {
                    throw new IllegalArgumentException("exception '" + e + "' is not captured by " + type.wireName()
                            + " deviceSubId " + deviceSubId + " (sensor: " + sensor + ")");
                }
            }
            int expected = type.sensorCount(deviceSubId);
            if (count < 1 || count + exceptions.size() != expected) {
                throw new IllegalArgumentException("count " + count + " + " + exceptions.size()
                        + " exceptions must equal the " + expected + " biometrics of " + type.wireName()
                        + " deviceSubId " + deviceSubId + " (SBI interop rule)");
            }
            for (String s : bioSubTypes) {
                if (!sensor.contains(s) || exceptions.contains(s)) {
                    throw new IllegalArgumentException("bioSubType '" + s + "' is not capturable here (sensor "
                            + sensor + ", exceptions " + exceptions + ")");
                }
            }
            // Each answer element must carry a distinct requested bioSubType: fewer names than count can never verify.
            if (!bioSubTypes.isEmpty() && bioSubTypes.size() < count) {
                throw new IllegalArgumentException("requests " + bioSubTypes.size() + " bioSubTypes " + bioSubTypes
                        + " but count " + count + ": name every biometric expected, or put the others in exceptions");
            }
        }
    }

    private static void checkExceptionPhoto(Modality type, int deviceSubId, int count, List<String> bioSubTypes,
                                            List<String> exceptions) {
        if (type != Modality.FACE || deviceSubId != 0 || count != 1 || !bioSubTypes.isEmpty()) {
            throw new IllegalArgumentException("an exception photo is a face capture (deviceSubId 0, count 1)");
        }
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("an exception photo must name the missing biometrics");
        }
        Set<String> known = new HashSet<>(Modality.FINGER.sensorSubTypes(0));
        known.addAll(Modality.IRIS.sensorSubTypes(0));
        known.remove("UNKNOWN");
        for (String e : exceptions) {
            if (!known.contains(e)) {
                throw new IllegalArgumentException("exception '" + e + "' is neither a finger nor an iris");
            }
        }
    }

    private static void requireDistinct(List<String> values, String what) {
        if (new HashSet<>(values).size() != values.size()) {
            throw new IllegalArgumentException("duplicate " + what + " in " + values);
        }
    }

    /** A slap (1 left, 2 right) or thumbs (3) capture; the exceptions are fingers that cannot be captured. */
    public static CaptureRequest fingers(int deviceSubId, List<String> exceptions) {
        int count = Modality.FINGER.sensorCount(deviceSubId) - exceptions.size();
        return new CaptureRequest(Modality.FINGER, deviceSubId, count, List.of(), exceptions, DEFAULT_SCORE,
                DEFAULT_TIMEOUT, false);
    }

    /** An iris capture: 1 left, 2 right, 3 both (double iris), 0 single. */
    public static CaptureRequest irises(int deviceSubId, List<String> exceptions) {
        int count = Modality.IRIS.sensorCount(deviceSubId) - exceptions.size();
        return new CaptureRequest(Modality.IRIS, deviceSubId, count, List.of(), exceptions, DEFAULT_SCORE,
                DEFAULT_TIMEOUT, false);
    }

    /** A face capture. */
    public static CaptureRequest face() {
        return new CaptureRequest(Modality.FACE, 0, 1, List.of(), List.of(), DEFAULT_SCORE, DEFAULT_TIMEOUT, false);
    }

    /** The face "exception photo": a photo documenting the missing fingers/irises named in exceptions. */
    public static CaptureRequest exceptionPhoto(List<String> missingBiometrics) {
        return new CaptureRequest(Modality.FACE, 0, 1, List.of(), missingBiometrics, DEFAULT_SCORE,
                DEFAULT_TIMEOUT, true);
    }

    public CaptureRequest withRequestedScore(int score) {
        return new CaptureRequest(type, deviceSubId, count, bioSubTypes, exceptions, score, timeout, exceptionPhoto);
    }

    public CaptureRequest withTimeout(Duration value) {
        return new CaptureRequest(type, deviceSubId, count, bioSubTypes, exceptions, requestedScore, value,
                exceptionPhoto);
    }

    /** Requests specific bioSubTypes (a subset of the sensor's, minus exceptions). */
    public CaptureRequest withBioSubTypes(List<String> subTypes) {
        return new CaptureRequest(type, deviceSubId, count, subTypes, exceptions, requestedScore, timeout,
                exceptionPhoto);
    }

    /**
     * The bioSubTypes an answer may carry: the requested ones, else the sensor's minus the exceptions.
     * Empty for face (the answer has no bioSubType, or "UNKNOWN").
     */
    public List<String> acceptableSubTypes() {
        if (type == Modality.FACE) {
            return List.of();
        }
        if (!bioSubTypes.isEmpty()) {
            return bioSubTypes;
        }
        List<String> out = new ArrayList<>(type.sensorSubTypes(deviceSubId));
        out.removeAll(exceptions);
        return List.copyOf(out);
    }
}
