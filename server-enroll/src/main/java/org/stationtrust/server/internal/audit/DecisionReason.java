package org.stationtrust.server.internal.audit;

import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;

/**
 * Why an operator made a decision (approve, reject, revoke, disable, expire, revoke a token, pin a boot): 3-500
 * characters, stripped, written as the decision's audit row detail (docs/server-api.md, "Operator API"). One rule for
 * every decision, from the API, the page and the CLI alike.
 */
public final class DecisionReason {
    public static final int MIN = 3;
    public static final int MAX = 500;

    private DecisionReason() {
    }

    /** The reason, stripped; {@code 400 invalid_field} saying the bounds when it is missing, too short or too long. */
    public static String require(String reason) {
        String stripped = reason == null ? "" : reason.strip();
        if (stripped.length() < MIN || reason.length() > MAX) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "A reason of " + MIN + "-" + MAX + " characters is required"
                    + (reason == null ? "" : ", got " + reason.length()) + ": say why, it is kept in the audit log");
        }
        return stripped;
    }
}
