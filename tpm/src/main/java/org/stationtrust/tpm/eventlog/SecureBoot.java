package org.stationtrust.tpm.eventlog;

/** The SecureBoot variable as measured into PCR 7 before its separator (PC Client PFP §3.3.4.8). */
public enum SecureBoot { ON, OFF, NOT_MEASURED }
