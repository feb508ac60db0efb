package org.stationtrust.sbi.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DigitalId;
import org.stationtrust.sbi.client.Modality;

/** Parses the digitalId JSON object (SBI 0.9.5 "Device Info: digitalId"). */
public final class DigitalIds {
    private DigitalIds() {
    }

    public static DigitalId parse(byte[] json, String what) throws DeviceAnswerRejected {
        JsonNode o = Json.object(Json.parse(json, what), what);
        Modality type;
        String typeName = Json.text(o, "type", what);
        try {
            type = Modality.fromWire(typeName);
        } catch (IllegalArgumentException e) {
            throw Json.malformed(what + " type '" + Redaction.deviceText(typeName) + "' is not Finger, Iris or Face");
        }
        try {
            return new DigitalId(Json.text(o, "serialNo", what), Json.text(o, "make", what),
                    Json.text(o, "model", what), type, Json.text(o, "deviceSubType", what),
                    Json.text(o, "deviceProvider", what), Json.text(o, "deviceProviderId", what),
                    Json.optText(o, "dateTime", what).orElse(""));
        } catch (IllegalArgumentException e) {
            throw Json.malformed(what + ": " + Redaction.deviceText(e.getMessage(), 160));
        }
    }

    /** An unsigned digitalId as sent in discovery: base64url JSON (a JWS is tolerated: its payload is read). */
    public static DigitalId parseUnsigned(String value, String what) throws DeviceAnswerRejected {
        String part = value;
        String[] parts = value.split("\\.", -1);
        if (parts.length == 3) {
            part = parts[1];
        }
        return parse(Json.base64Url(part, what), what);
    }
}
