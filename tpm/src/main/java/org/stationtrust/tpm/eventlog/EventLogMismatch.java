package org.stationtrust.tpm.eventlog;

import org.stationtrust.tpm.verify.TpmVerificationException;

/**
 * The log does not account for the quoted PCRs: an event was changed, dropped, reordered or added,
 * or something extended a PCR behind the log's back. Nothing in the log can be trusted then; keep it
 * for the admin and judge the boot invalid.
 */
public final class EventLogMismatch extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    private final int pcr;

    public EventLogMismatch(int pcr, String message) {
        super(message);
        this.pcr = pcr;
    }

    /** The first PCR that does not replay, or -1 when the log as a whole does not fit the quote. */
    public int pcr() {
        return pcr;
    }
}
