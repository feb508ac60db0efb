package org.stationtrust.agent.internal.capture;

import org.stationtrust.agent.internal.api.ApiRefusal;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.DeviceAnswerRejected;

/** Turns sbi-client's rejections into local API refusals: the reason and the action, never a 500. */
public final class DeviceFailures {
    private DeviceFailures() {
    }

    public static String reasonText(DeviceAnswerRejected e) {
        return Redaction.scrub(e.reason().meaning() + ": " + e.detail() + "; " + e.reason().action());
    }

    public static ApiRefusal refusal(DeviceAnswerRejected e) {
        int status = switch (e.reason()) {
            case DEVICE_UNREACHABLE, TIMEOUT -> 503;
            case DEVICE_BUSY, DEVICE_NOT_READY, NOT_REGISTERED -> 409;
            case DEVICE_ERROR, QUALITY_BELOW_THRESHOLD, COUNT_MISMATCH -> 422;
            default -> 502; // the device answered, but the answer cannot be trusted
        };
        return new ApiRefusal(status, e.reason().name(), reasonText(e));
    }
}
