package org.stationtrust.tpm.eventlog;

import org.stationtrust.tpm.verify.TpmVerificationException;

/**
 * Bytes that are not a well-formed TCG boot event log (truncated, oversized, an unknown digest
 * algorithm, a field out of range). {@link #offset()} is the byte offset in the log where the
 * problem was found, so an admin can look at the same place with a hex dump or {@code tpm2_eventlog}.
 */
public final class MalformedEventLog extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public MalformedEventLog(long offset, String message) {
        super("event log at offset " + offset + ": " + message);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
