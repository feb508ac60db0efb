package org.stationtrust.server.internal.audit;

/**
 * What became of the action an audit row records; its name is the row's {@code outcome}. A refusal's reason (an API
 * error code, a boot verdict) goes at the head of the row's detail, never here: the column holds these names only.
 */
public enum AuditOutcome {
    /** The action was done. */
    OK,
    /** A request or a boot was refused; the detail says why. */
    REFUSED,
    /** Something the server tried on its own failed (a webhook delivery). */
    FAILED,
    /** A condition an admin should look at (repeated failed logins). */
    ALERT
}
