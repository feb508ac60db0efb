package org.stationtrust.sbi.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.RejectionReason;

/** SBI 0.9.5 error objects ({@code {errorCode, errorInfo}}, "0" = success) turned into rejections. */
public final class DeviceErrors {
    private DeviceErrors() {
    }

    /** The error code of an element, "0" when the element has no error object. */
    public static String code(JsonNode element, String what) throws DeviceAnswerRejected {
        JsonNode error = element.get("error");
        if (error == null || error.isNull()) {
            return "0";
        }
        Json.object(error, what + " error");
        return Json.optText(error, "errorCode", what + " error").orElse("0").trim();
    }

    public static Optional<DeviceAnswerRejected> rejection(JsonNode element, String what) throws DeviceAnswerRejected {
        String code = code(element, what);
        if (code.equals("0")) {
            return Optional.empty();
        }
        String info = Json.optText(element.get("error"), "errorInfo", what + " error").orElse("");
        return Optional.of(forCode(code, info, what));
    }

    public static DeviceAnswerRejected forCode(String code, String info, String what) {
        String detail = what + " carries error " + Redaction.deviceText(code) + " ("
                + Redaction.deviceText(info) + ")";
        switch (code) {
            case "100": return new DeviceAnswerRejected(RejectionReason.NOT_REGISTERED, detail);
            case "110": return new DeviceAnswerRejected(RejectionReason.DEVICE_NOT_READY, detail);
            case "111": return new DeviceAnswerRejected(RejectionReason.DEVICE_BUSY, detail);
            default: return new DeviceAnswerRejected(RejectionReason.DEVICE_ERROR, detail);
        }
    }
}
