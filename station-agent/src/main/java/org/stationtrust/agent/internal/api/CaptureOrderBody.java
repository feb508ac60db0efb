package org.stationtrust.agent.internal.api;

import java.util.List;

/**
 * The body of {@code POST /v1/captures} as it arrives, bound by the shared strict reader (unknown fields, duplicate
 * keys, coercions and trailing data are refused before this exists). Absent fields are null here;
 * {@link CaptureOrder#from} applies the defaults and the rules.
 */
public record CaptureOrderBody(String modality, Integer deviceSubId, List<String> subtypes, List<String> exceptions,
                               Integer requestedScore, Integer timeoutMs, String consentReference, String registrationId,
                               String operator, String deviceId) {
}
