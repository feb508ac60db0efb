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
        return ApiRefusal.device(e.reason(), reasonText(e));
    }
}
