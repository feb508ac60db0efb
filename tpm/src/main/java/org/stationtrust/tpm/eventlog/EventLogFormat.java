package org.stationtrust.tpm.eventlog;

/** The two event log formats of the TCG PC Client Platform Firmware Profile (§10.2.1, §10.2.2). */
public enum EventLogFormat {
    /** TCG_PCR_EVENT2 records after a Spec ID event ("Spec ID Event03"): one digest per algorithm. */
    CRYPTO_AGILE("crypto-agile"),
    /** TCG_PCR_EVENT records only, each with one SHA-1 digest (TPM 1.2 style firmware). */
    SHA1("sha1");

    private final String label;

    EventLogFormat(String label) {
        this.label = label;
    }

    /** The name used on the wire and in the command line's JSON ("crypto-agile" or "sha1"). */
    public String label() {
        return label;
    }
}
