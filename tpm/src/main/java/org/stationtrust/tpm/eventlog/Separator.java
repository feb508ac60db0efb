package org.stationtrust.tpm.eventlog;

/** An EV_SEPARATOR: the end of pre-OS measurements in one PCR; {@code error} when the firmware said so. */
public record Separator(int event, int pcr, boolean error) {
}
