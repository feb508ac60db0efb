package org.stationtrust.sbi.client;

import java.util.Optional;

/**
 * A device answer (or the lack of one) that the station does not trust. Carries one
 * {@link RejectionReason}; the message says what was expected, what was seen and what to do.
 * Messages never contain biometric values, keys or images.
 */
public final class DeviceAnswerRejected extends Exception {
    private final RejectionReason reason;
    private final String detail;
    private final String transactionId;

    public DeviceAnswerRejected(RejectionReason reason, String detail) {
        this(reason, detail, null, null);
    }

    public DeviceAnswerRejected(RejectionReason reason, String detail, Throwable cause) {
        this(reason, detail, null, cause);
    }

    private DeviceAnswerRejected(RejectionReason reason, String detail, String transactionId, Throwable cause) {
        super(format(reason, detail, transactionId), cause);
        this.reason = reason;
        this.detail = detail;
        this.transactionId = transactionId;
    }

    private static String format(RejectionReason reason, String detail, String transactionId) {
        String tx = transactionId == null ? "" : " [transactionId=" + transactionId + "]";
        return reason + tx + ": " + reason.meaning() + ". " + detail + ". What to do: " + reason.action() + ".";
    }

    /** The same rejection, tagged with the transaction it belongs to (for logs and the operator). */
    public DeviceAnswerRejected forTransaction(String txId) {
        DeviceAnswerRejected tagged = new DeviceAnswerRejected(reason, detail, txId, getCause());
        tagged.setStackTrace(getStackTrace());
        return tagged;
    }

    public RejectionReason reason() {
        return reason;
    }

    /** What was expected and what was seen, without the generic meaning and action. */
    public String detail() {
        return detail;
    }

    public Optional<String> transactionId() {
        return Optional.ofNullable(transactionId);
    }
}
