package org.stationtrust.ctk.internal.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.stationtrust.ctk.TestCase;
import org.stationtrust.ctk.internal.check.Segments;
import org.stationtrust.ctk.internal.device.DeviceProfile;

/**
 * Builds RCAPTURE/CAPTURE bodies the way deployed devices expect them (docs/sbi-protocol.md "Interop rules"):
 * count, timeout, requestedScore and deviceSubId as strings, previousHash always sent, a fresh
 * transactionId per request, captureTime in whole UTC seconds, one modality per request.
 */
final class CaptureRequests {
    static final int DEFAULT_TIMEOUT_MS = 10_000;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String env;

    CaptureRequests(String env) {
        this.env = env;
    }

    static String newTransactionId() {
        return "CTK-" + UUID.randomUUID();
    }

    static String deviceSubId(TestCase c, DeviceProfile device) {
        String sid = c.request().deviceSubId();
        return sid == null || "own".equals(sid) ? device.ownSubId() : sid;
    }

    ObjectNode build(TestCase c, DeviceProfile device, String transactionId, String previousHash) {
        TestCase.Request r = c.request();
        String sid = deviceSubId(c, device);
        List<String> segment = Segments.of(device.type(), device.subType(), sid);
        String count = r.count() != null ? r.count() : String.valueOf(Math.max(1, segment.size()));
        ObjectNode body = F.objectNode();
        body.put("env", env);
        body.put("purpose", "Any".equals(c.purpose()) ? device.purpose() : c.purpose());
        body.put("specVersion", device.specVersion());
        body.put("timeout", String.valueOf(r.timeoutOr(DEFAULT_TIMEOUT_MS)));
        body.put("captureTime", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        body.put("transactionId", transactionId);
        ObjectNode bio = F.objectNode();
        bio.put("type", device.type());
        bio.put("count", count);
        ArrayNode subtypes = bio.putArray("bioSubType");
        r.bioSubType().forEach(subtypes::add);
        ArrayNode exceptions = bio.putArray("exception");
        r.exception().forEach(exceptions::add);
        bio.put("requestedScore", r.requestedScore() == null ? "40" : r.requestedScore());
        bio.put("deviceId", r.deviceId() == null ? device.deviceId() : r.deviceId());
        bio.put("deviceSubId", sid);
        bio.put("previousHash", previousHash);
        body.putArray("bio").add(bio);
        body.putNull("customOpts");
        if (r.renameField() != null) {
            rename(body, r.renameField());
        }
        return body;
    }

    /** Renames one field to field+"XXX": the MOSIP invalid-request cases (SBI1094-SBI1100). */
    static void rename(ObjectNode body, String path) {
        ObjectNode target = body;
        String field = path;
        if (path.startsWith("bio[0].")) {
            target = (ObjectNode) body.path("bio").path(0);
            field = path.substring("bio[0].".length());
        }
        if (target.has(field)) {
            target.set(field + "XXX", target.remove(field));
        }
    }
}
