package org.stationtrust.sbi.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.stationtrust.sbi.client.CaptureRequest;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.HashChain;

/**
 * Request bodies as deployed devices accept them (docs/sbi-protocol.md "Interop rules"): numbers as JSON
 * strings, previousHash always present, transactionId matching {@code [A-Za-z0-9-]{4,50}}, captureTime
 * in UTC {@code yyyy-MM-dd'T'HH:mm:ss'Z'}, one modality per request.
 */
public final class SbiRequests {
    public static final String SPEC_VERSION = "0.9.5";
    public static final Pattern TRANSACTION_ID = Pattern.compile("[A-Za-z0-9-]{4,50}");
    private static final DateTimeFormatter CAPTURE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private SbiRequests() {
    }

    /** A fresh transaction id (a random UUID: 36 characters of [0-9a-f-]). */
    public static String newTransactionId() {
        return UUID.randomUUID().toString();
    }

    public static String captureTime(Instant instant) {
        return CAPTURE_TIME.format(instant);
    }

    /** MOSIPDISC body; {@code type} is "Biometric Device", "Finger", "Iris" or "Face". */
    public static byte[] discovery(String type) {
        if (!List.of("Biometric Device", "Finger", "Iris", "Face").contains(type)) {
            throw new IllegalArgumentException("discovery type must be Biometric Device, Finger, Iris or Face");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", type);
        return bytes(body);
    }

    /** RCAPTURE body for a registration capture. */
    public static byte[] registrationCapture(Device device, CaptureRequest request, String env,
                                             String transactionId, Instant captureTime, String previousHash) {
        return bytes(capture(device, request, "Registration", env, transactionId, captureTime, previousHash, null));
    }

    /** CAPTURE body for an authentication capture; {@code domainUri} names the relying server. */
    public static byte[] authenticationCapture(Device device, CaptureRequest request, String env, String domainUri,
                                               String transactionId, Instant captureTime, String previousHash) {
        return bytes(capture(device, request, "Auth", env, transactionId, captureTime, previousHash, domainUri));
    }

    /** STREAM body. */
    public static byte[] stream(Device device, int deviceSubId, Duration timeout) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("deviceId", device.deviceId());
        body.put("deviceSubId", Integer.toString(deviceSubId));
        body.put("timeout", Long.toString(timeout.toMillis()));
        return bytes(body);
    }

    private static ObjectNode capture(Device device, CaptureRequest request, String purpose, String env,
                                      String transactionId, Instant captureTime, String previousHash,
                                      String domainUri) {
        if (!TRANSACTION_ID.matcher(transactionId).matches()) {
            throw new IllegalArgumentException("transactionId must match [A-Za-z0-9-]{4,50}");
        }
        HashChain.continueFrom(previousHash);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("env", env);
        body.put("purpose", purpose);
        if (domainUri != null) {
            body.put("domainUri", domainUri);
        }
        body.put("specVersion", SPEC_VERSION);
        body.put("timeout", Long.toString(request.timeout().toMillis()));
        body.put("captureTime", captureTime(captureTime));
        body.put("transactionId", transactionId);
        ArrayNode bio = body.putArray("bio");
        ObjectNode b = bio.addObject();
        b.put("type", request.type().wireName());
        b.put("count", Integer.toString(request.count()));
        ArrayNode subTypes = b.putArray("bioSubType");
        request.bioSubTypes().forEach(subTypes::add);
        ArrayNode exceptions = b.putArray("exception");
        request.exceptions().forEach(exceptions::add);
        b.put("requestedScore", Integer.toString(request.requestedScore()));
        b.put("deviceId", device.deviceId());
        b.put("deviceSubId", Integer.toString(request.deviceSubId()));
        b.put("previousHash", previousHash.toUpperCase(java.util.Locale.ROOT));
        body.putNull("customOpts");
        return body;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a request body", e);
        }
    }
}
