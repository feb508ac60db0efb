package org.stationtrust.sbi.client.internal;

/** The SBI 0.9.5 HTTP verbs and their exact paths (docs/sbi-protocol.md "Transport"). */
public enum SbiVerb {
    MOSIPDISC("/device"),
    MOSIPDINFO("/info"),
    RCAPTURE("/capture"),
    CAPTURE("/capture"),
    STREAM("/stream");

    private final String path;

    SbiVerb(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }
}
